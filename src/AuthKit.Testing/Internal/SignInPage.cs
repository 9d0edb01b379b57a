using System.Text;
using System.Text.Encodings.Web;

namespace AuthKit.Testing.Internal;

/// <summary>
/// The sign-in, sign-up, organization picker and error pages, rendered as self-contained HTML
/// (inline CSS under a CSP nonce, no scripts, no external assets).
/// </summary>
internal static class SignInPage
{
    public sealed record UserChoice(string Id, string Email, string Name, string Detail, bool Suggested);

    public sealed record OrgChoice(string Id, string Name, string Role);

    private const string Css = """
        :root{color-scheme:light dark;--bg:#f4f5f7;--card:#fff;--text:#1c2024;--muted:#5b6370;--border:#d5d9e0;--accent:#4f46e5;--accent-text:#fff;--hover:#eef0ff;--danger:#b42318;--danger-bg:#fef3f2;--info-bg:#eef4ff;--focus:#2563eb}
        @media (prefers-color-scheme:dark){:root{--bg:#111318;--card:#1b1e25;--text:#eceef2;--muted:#a3aab8;--border:#363b47;--accent:#8b85ff;--accent-text:#0f0f1a;--hover:#262a38;--danger:#ff8a80;--danger-bg:#3a1d1d;--info-bg:#1d2740;--focus:#93b4ff}}
        *{box-sizing:border-box}
        body{margin:0;min-height:100vh;display:flex;align-items:flex-start;justify-content:center;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;padding:clamp(1rem,5vw,3rem) 1rem}
        main{width:100%;max-width:28rem;background:var(--card);border:1px solid var(--border);border-radius:12px;padding:clamp(1.25rem,4vw,2rem);box-shadow:0 1px 3px rgba(0,0,0,.08)}
        .badge{display:inline-block;font-size:.75rem;font-weight:600;letter-spacing:.04em;text-transform:uppercase;color:var(--muted);border:1px solid var(--border);border-radius:999px;padding:.1rem .6rem;margin-bottom:.75rem}
        h1{font-size:1.5rem;line-height:1.25;margin:0 0 .25rem}
        h2{font-size:1rem;margin:1.5rem 0 .5rem}
        p{margin:.25rem 0 1rem;color:var(--muted)}
        ul{list-style:none;margin:0;padding:0;display:grid;gap:.5rem}
        .choice{width:100%;display:flex;flex-direction:column;align-items:flex-start;gap:.1rem;text-align:left;padding:.75rem 1rem;background:transparent;color:var(--text);border:1px solid var(--border);border-radius:8px;font:inherit;cursor:pointer}
        .choice:hover{background:var(--hover);border-color:var(--accent)}
        .choice .primary{font-weight:600;overflow-wrap:anywhere}
        .choice .secondary{font-size:.875rem;color:var(--muted)}
        .choice .tag{font-size:.75rem;font-weight:600;color:var(--accent)}
        .suggested{border-color:var(--accent);border-width:2px}
        label{display:block;font-weight:600;font-size:.875rem;margin:.75rem 0 .25rem}
        input{width:100%;font:inherit;padding:.6rem .75rem;border:1px solid var(--border);border-radius:8px;background:var(--card);color:var(--text)}
        .row{display:grid;grid-template-columns:1fr 1fr;gap:.75rem}
        @media (max-width:420px){.row{grid-template-columns:1fr}}
        .submit{margin-top:1rem;width:100%;padding:.7rem 1rem;font:inherit;font-weight:600;color:var(--accent-text);background:var(--accent);border:0;border-radius:8px;cursor:pointer}
        .submit:hover{filter:brightness(1.08)}
        :focus-visible{outline:3px solid var(--focus);outline-offset:2px}
        .divider{display:flex;align-items:center;gap:.75rem;color:var(--muted);font-size:.875rem;margin:1.5rem 0 .5rem}
        .divider::before,.divider::after{content:"";flex:1;border-top:1px solid var(--border)}
        .alert{border-radius:8px;padding:.75rem 1rem;margin:1rem 0;font-size:.95rem}
        .alert.error{background:var(--danger-bg);color:var(--danger);border:1px solid var(--danger)}
        .alert.info{background:var(--info-bg);border:1px solid var(--border)}
        footer{margin-top:1.5rem;font-size:.875rem;color:var(--muted)}
        a{color:var(--accent)}
        .visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
        """;

    private static string E(string? value) => HtmlEncoder.Default.Encode(value ?? string.Empty);

    public static string SignIn(string requestId, IReadOnlyList<UserChoice> users, string? emailValue, string? error, string? notice, string nonce)
    {
        var body = new StringBuilder();
        body.Append("<h1 id=\"title\">Sign in</h1><p>Choose a test user, or sign in with an email and password.</p>");
        AppendAlerts(body, error, notice);
        if (users.Count > 0)
        {
            body.Append("<h2 id=\"users-heading\">Test users</h2>")
                .Append("<form method=\"post\" action=\"/user_management/authorize/continue\" aria-labelledby=\"users-heading\">")
                .Append(Hidden("request", requestId))
                .Append("<ul>");
            foreach (var user in users)
            {
                body.Append("<li><button type=\"submit\" class=\"choice").Append(user.Suggested ? " suggested\" autofocus" : "\"")
                    .Append(" name=\"user_id\" value=\"").Append(E(user.Id)).Append("\">")
                    .Append("<span class=\"primary\">").Append(E(user.Email)).Append("</span>");
                if (user.Name.Length > 0 || user.Detail.Length > 0)
                {
                    body.Append("<span class=\"secondary\">").Append(E(string.Join(" · ", new[] { user.Name, user.Detail }.Where(s => s.Length > 0)))).Append("</span>");
                }

                if (user.Suggested)
                {
                    body.Append("<span class=\"tag\">Suggested</span>");
                }

                body.Append("</button></li>");
            }

            body.Append("</ul></form><div class=\"divider\" role=\"separator\">or</div>");
        }

        body.Append("<form method=\"post\" action=\"/user_management/authorize/password\" aria-label=\"Sign in with email and password\">")
            .Append(Hidden("request", requestId))
            .Append("<label for=\"email\">Email</label><input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" required value=\"").Append(E(emailValue)).Append("\">")
            .Append("<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>")
            .Append("<button type=\"submit\" class=\"submit\">Sign in</button></form>")
            .Append("<footer>No account? <a href=\"/user_management/authorize/screen?request=").Append(E(Uri.EscapeDataString(requestId))).Append("&amp;screen=sign-up\">Create one</a></footer>");
        return Layout("Sign in", body.ToString(), nonce);
    }

    public static string SignUp(string requestId, string? email, string? firstName, string? lastName, string? error, string nonce)
    {
        var body = new StringBuilder();
        body.Append("<h1 id=\"title\">Create an account</h1><p>The new user exists until the emulator stops.</p>");
        AppendAlerts(body, error, null);
        body.Append("<form method=\"post\" action=\"/user_management/authorize/sign-up\" aria-labelledby=\"title\">")
            .Append(Hidden("request", requestId))
            .Append("<div class=\"row\"><div><label for=\"first_name\">First name</label><input id=\"first_name\" name=\"first_name\" autocomplete=\"given-name\" value=\"").Append(E(firstName)).Append("\"></div>")
            .Append("<div><label for=\"last_name\">Last name</label><input id=\"last_name\" name=\"last_name\" autocomplete=\"family-name\" value=\"").Append(E(lastName)).Append("\"></div></div>")
            .Append("<label for=\"email\">Email</label><input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"email\" required value=\"").Append(E(email)).Append("\">")
            .Append("<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"new-password\" required minlength=\"8\" aria-describedby=\"password-help\">")
            .Append("<p id=\"password-help\">At least 8 characters.</p>")
            .Append("<button type=\"submit\" class=\"submit\">Create account</button></form>")
            .Append("<footer>Already have an account? <a href=\"/user_management/authorize/screen?request=").Append(E(Uri.EscapeDataString(requestId))).Append("&amp;screen=sign-in\">Sign in</a></footer>");
        return Layout("Create an account", body.ToString(), nonce);
    }

    public static string OrganizationPicker(string requestId, string email, IReadOnlyList<OrgChoice> orgs, string? error, string nonce)
    {
        var body = new StringBuilder();
        body.Append("<h1 id=\"title\">Choose an organization</h1><p>Signed in as <strong>").Append(E(email)).Append("</strong>.</p>");
        AppendAlerts(body, error, null);
        body.Append("<form method=\"post\" action=\"/user_management/authorize/organization\" aria-labelledby=\"title\">")
            .Append(Hidden("request", requestId))
            .Append("<ul>");
        foreach (var org in orgs)
        {
            body.Append("<li><button type=\"submit\" class=\"choice\" name=\"organization_id\" value=\"").Append(E(org.Id)).Append("\">")
                .Append("<span class=\"primary\">").Append(E(org.Name)).Append("</span>")
                .Append("<span class=\"secondary\">Role: ").Append(E(org.Role)).Append("</span></button></li>");
        }

        body.Append("</ul></form>");
        return Layout("Choose an organization", body.ToString(), nonce);
    }

    public static string Error(string title, string message, string nonce) =>
        Layout(title, $"<h1 id=\"title\">{E(title)}</h1><div class=\"alert error\" role=\"alert\">{E(message)}</div><p>Return to the application and start signing in again.</p>", nonce);

    private static void AppendAlerts(StringBuilder body, string? error, string? notice)
    {
        if (error is not null)
        {
            body.Append("<div class=\"alert error\" role=\"alert\">").Append(E(error)).Append("</div>");
        }

        if (notice is not null)
        {
            body.Append("<div class=\"alert info\" role=\"status\">").Append(E(notice)).Append("</div>");
        }
    }

    private static string Hidden(string name, string value) => $"<input type=\"hidden\" name=\"{E(name)}\" value=\"{E(value)}\">";

    private static string Layout(string title, string body, string nonce) => $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>{E(title)} · WorkOS emulator</title>
        <link rel="icon" href="data:,">
        <style nonce="{E(nonce)}">{Css}</style>
        </head>
        <body>
        <main aria-labelledby="title">
        <span class="badge">WorkOS emulator</span>
        {body}
        </main>
        </body>
        </html>
        """;
}
