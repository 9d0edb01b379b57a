using System.Net;
using System.Text;
using AuthKit.Session;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Blazor;

/// <summary>
/// The built-in pages of the pending sign-in steps: self-contained, accessible HTML (a heading, labelled controls, an
/// alert for errors, a <c>&lt;form method="post"&gt;</c> with the antiforgery token). Every dynamic part is HTML-encoded.
/// Apps replace them through <see cref="AuthKitEvents.OnPendingSignIn"/>.
/// </summary>
internal static class PendingSignInPages
{
    public static IResult Render(AuthKitPendingSignInContext page)
    {
        var (title, intro) = page.Step switch
        {
            PendingAuthenticationKind.OrganizationSelection => ("Choose an organization", "Your account belongs to several organizations. Choose the one to sign in to."),
            PendingAuthenticationKind.EmailVerification => ("Check your email", page.Email is { } email
                ? $"We sent a verification code to {email}. Enter it to finish signing in."
                : "We sent a verification code to your email address. Enter it to finish signing in."),
            PendingAuthenticationKind.MfaChallenge when page.CanComplete || page.MustRestart && page.Error is not null => ("Enter your authentication code", "Open your authenticator app and enter the 6-digit code for this account."),
            PendingAuthenticationKind.MfaChallenge => ("Multi-factor authentication required", "Your account needs a second factor this app cannot ask for here. Start the sign-in again to use WorkOS's own sign-in page."),
            PendingAuthenticationKind.MfaEnrollment => ("Set up multi-factor authentication", "Your organization requires multi-factor authentication, and your account has no second factor yet. Start the sign-in again to set one up on WorkOS's sign-in page."),
            PendingAuthenticationKind.SsoRequired => ("Sign in with your organization", "Your organization requires single sign-on. Start the sign-in again and continue with your organization's identity provider."),
            _ => ("Another step is needed", $"WorkOS needs another step to finish signing in ({page.Code}). Start the sign-in again."),
        };

        var html = new StringBuilder(2048);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta name=\"referrer\" content=\"no-referrer\"><link rel=\"icon\" href=\"data:,\"><title>").Append(E(title)).Append("</title>")
            .Append("<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5}")
            .Append("ul{list-style:none;padding:0}li{margin:.5rem 0}button{font:inherit;padding:.5rem 1rem;cursor:pointer}")
            .Append(".authkit-org{width:100%;text-align:left}input{font:inherit;padding:.4rem;letter-spacing:.15em}")
            .Append(".authkit-alert{border:1px solid #b00020;color:#b00020;padding:.5rem .75rem;border-radius:4px}</style></head><body>")
            .Append("<main class=\"authkit-pending authkit-pending-").Append(E(StepClass(page.Step))).Append("\"><h1 id=\"authkit-title\">").Append(E(title)).Append("</h1>")
            .Append("<p id=\"authkit-intro\">").Append(E(intro)).Append("</p>");
        if (page.Error is { } error)
        {
            html.Append("<p class=\"authkit-alert\" role=\"alert\" id=\"authkit-error\">").Append(E(error)).Append("</p>");
        }

        if (page.CanComplete)
        {
            html.Append("<form method=\"post\" action=\"").Append(E(page.FormAction)).Append("\" aria-labelledby=\"authkit-title\">")
                .Append("<input type=\"hidden\" name=\"").Append(E(page.AntiforgeryFieldName)).Append("\" value=\"").Append(E(page.AntiforgeryToken)).Append("\">")
                .Append("<input type=\"hidden\" name=\"flow\" value=\"").Append(E(page.FlowId)).Append("\">");
            var describedBy = page.Error is null ? "authkit-intro" : "authkit-intro authkit-error";
            if (page.Step == PendingAuthenticationKind.OrganizationSelection)
            {
                html.Append("<fieldset><legend>Organizations</legend><ul>");
                foreach (var org in page.Organizations)
                {
                    html.Append("<li><button type=\"submit\" class=\"authkit-org\" name=\"organizationId\" value=\"").Append(E(org.Id)).Append("\">")
                        .Append(E(string.IsNullOrWhiteSpace(org.Name) ? org.Id : org.Name)).Append("</button></li>");
                }

                html.Append("</ul></fieldset>");
            }
            else
            {
                var label = page.Step == PendingAuthenticationKind.EmailVerification ? "Verification code" : "Authentication code";
                html.Append("<p><label for=\"authkit-code\">").Append(label).Append("</label><br>")
                    .Append("<input id=\"authkit-code\" name=\"code\" type=\"text\" inputmode=\"numeric\" autocomplete=\"one-time-code\" required minlength=\"4\" maxlength=\"32\" spellcheck=\"false\" autofocus")
                    .Append(" aria-describedby=\"").Append(describedBy).Append('"').Append(page.Error is null ? "" : " aria-invalid=\"true\"").Append("></p>")
                    .Append("<p><button type=\"submit\">Continue</button></p>");
            }

            html.Append("</form>");
        }

        html.Append("<p><a href=\"").Append(E(page.RestartPath)).Append("\" class=\"authkit-restart\">Start the sign-in again</a></p></main></body></html>");
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8", statusCode: page.StatusCode);
    }

    private static string StepClass(PendingAuthenticationKind step) => step switch
    {
        PendingAuthenticationKind.OrganizationSelection => "organization",
        PendingAuthenticationKind.EmailVerification => "email",
        PendingAuthenticationKind.MfaChallenge => "mfa",
        PendingAuthenticationKind.MfaEnrollment => "mfa-enrollment",
        PendingAuthenticationKind.SsoRequired => "sso",
        _ => "other",
    };

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
