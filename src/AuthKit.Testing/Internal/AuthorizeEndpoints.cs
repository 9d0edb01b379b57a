using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace AuthKit.Testing.Internal;

/// <summary>
/// <c>GET /user_management/authorize</c> and the sign-in page it shows (user buttons, email + password, sign-up,
/// organization picker). Client and redirect URI errors are shown as a page; every other error goes back to the
/// redirect URI as <c>error=...&amp;state=...</c>.
/// </summary>
internal static class AuthorizeEndpoints
{
    private static readonly string[] Prompts = ["login", "none", "consent", "select_account"];

    /// <summary>The <c>provider</c> values WorkOS's authorize endpoint takes (AuthKit and the OAuth connections).</summary>
    internal static readonly string[] Providers =
    [
        "authkit", "AppleOAuth", "BitbucketOAuth", "DiscordOAuth", "GitHubOAuth", "GitLabOAuth", "GoogleOAuth", "IntuitOAuth",
        "LinkedInOAuth", "MicrosoftOAuth", "SalesforceOAuth", "SlackOAuth", "VercelOAuth", "XeroOAuth",
    ];

    public static void Map(IEndpointRouteBuilder app, EmulatorService svc, ILogger logger)
    {
        var options = svc.Options;

        app.MapGet("/user_management/authorize", (HttpContext ctx) =>
        {
            var clientId = ctx.Query("client_id");
            if (clientId != options.ClientId)
            {
                Log.AuthorizeRejected(logger, "unknown client_id");
                return EmulatorResults.Html(ctx, 400, n => SignInPage.Error("Unknown application", "The client_id in this sign-in request is missing or not known to the emulator.", n));
            }

            if (!RedirectTargets.IsAllowedRedirect(ctx.Query("redirect_uri"), options.AllowedRedirectHosts, out var redirect))
            {
                Log.AuthorizeRejected(logger, "redirect_uri not allowed");
                return EmulatorResults.Html(ctx, 400, n => SignInPage.Error("Invalid redirect URI", "The redirect_uri must be an absolute http(s) URL on a loopback address, localhost, or an allow-listed host.", n));
            }

            var redirectUri = redirect!.OriginalString;
            var state = ctx.Query("state");
            if (Validate(ctx, svc) is { } problem)
            {
                Log.AuthorizeRejected(logger, problem.Description);
                return RedirectError(ctx, redirectUri, state, problem.Error, problem.Description);
            }

            // Recorded for tests (secrets are not part of the query: state and the challenge are sealed or one-way).
            svc.LastAuthorizeQuery = ctx.Request.Query.ToDictionary(kv => kv.Key, kv => kv.Value.ToString(), StringComparer.Ordinal);
            var request = new AuthRequest
            {
                Id = Ids.Secret(),
                RedirectUri = redirectUri,
                State = state,
                Challenge = ctx.Query("code_challenge")!,
                ScreenHint = ctx.Query("screen_hint"),
                OrganizationId = ctx.Query("organization_id"),
                LoginHint = ctx.Query("login_hint"),
                Prompt = ctx.Query("prompt"),
                MaxAge = ctx.Query("max_age") is { } ma ? TimeSpan.FromSeconds(int.Parse(ma, CultureInfo.InvariantCulture)) : null,
                ExpiresAt = svc.Clock.GetUtcNow() + options.CodeLifetime,
            };

            // Auto mode: no page.
            var (autoEmail, autoOrg) = svc.AutoSignIn;
            if (autoEmail is not null)
            {
                var user = svc.FindUserByEmail(request.LoginHint) ?? svc.FindUserByEmail(autoEmail)!;
                return Complete(ctx, svc, request, user, svc.Clock.GetUtcNow(), "Password", browserSignInId: null, autoOrganizationId: autoOrg ?? "");
            }

            // A remembered browser sign-in, subject to prompt / login_hint / max_age.
            var browser = options.RememberBrowserSignIn && ctx.Request.Cookies.TryGetValue(BrowserSignIn.CookieName, out var cookie) ? svc.FindBrowserSignIn(cookie) : null;
            string? notice = null;
            if (browser is not null && request.ScreenHint != "sign-up" && request.Prompt is not ("login" or "select_account"))
            {
                var user = svc.FindUser(browser.UserId)!;
                var hintMatches = request.LoginHint is null || string.Equals(request.LoginHint, user.Email, StringComparison.OrdinalIgnoreCase);
                var fresh = request.MaxAge is null || svc.Clock.GetUtcNow() - browser.AuthTime <= request.MaxAge;
                if (hintMatches && fresh)
                {
                    return Complete(ctx, svc, request, user, browser.AuthTime, "Password", browser.Id, autoOrganizationId: null);
                }

                if (!fresh)
                {
                    notice = "Your last sign-in is older than this application allows. Please sign in again.";
                    request = WithLoginHint(request, request.LoginHint ?? user.Email);
                }
            }

            if (request.Prompt == "none")
            {
                return RedirectError(ctx, redirectUri, state, "login_required", "The user must sign in.");
            }

            svc.AddAuthRequest(request);
            return request.ScreenHint == "sign-up"
                ? EmulatorResults.Html(ctx, 200, n => SignInPage.SignUp(request.Id, request.LoginHint, null, null, null, n), RedirectTargets.Origin(redirect))
                : ShowSignIn(ctx, svc, request, error: null, notice, request.LoginHint);
        });

        app.MapGet("/user_management/authorize/screen", (HttpContext ctx) =>
        {
            if (svc.FindAuthRequest(ctx.Query("request")) is not { } request)
            {
                return Expired(ctx);
            }

            return ctx.Query("screen") == "sign-up"
                ? EmulatorResults.Html(ctx, 200, n => SignInPage.SignUp(request.Id, request.LoginHint, null, null, null, n), RedirectTargets.Origin(new Uri(request.RedirectUri)))
                : ShowSignIn(ctx, svc, request, null, null, request.LoginHint);
        });

        app.MapPost("/user_management/authorize/continue", async (HttpContext ctx) =>
        {
            var form = await ReadFormAsync(ctx);
            if (svc.FindAuthRequest(form.Field("request")) is not { } request)
            {
                return Expired(ctx);
            }

            if (svc.FindUser(form.Field("user_id")) is not { } user)
            {
                return ShowSignIn(ctx, svc, request, "Choose one of the listed users.", null, request.LoginHint);
            }

            return SignedIn(ctx, svc, request, user);
        });

        app.MapPost("/user_management/authorize/password", async (HttpContext ctx) =>
        {
            var form = await ReadFormAsync(ctx);
            if (svc.FindAuthRequest(form.Field("request")) is not { } request)
            {
                return Expired(ctx);
            }

            var email = form.Field("email");
            var user = svc.FindUserByEmail(email);
            if (user?.Password is null || !Ids.FixedTimeEquals(user.Password, form.Field("password") ?? ""))
            {
                return ShowSignIn(ctx, svc, request, "Incorrect email or password.", null, email);
            }

            return SignedIn(ctx, svc, request, user);
        });

        app.MapPost("/user_management/authorize/sign-up", async (HttpContext ctx) =>
        {
            var form = await ReadFormAsync(ctx);
            if (svc.FindAuthRequest(form.Field("request")) is not { } request)
            {
                return Expired(ctx);
            }

            var email = form.Field("email")?.Trim();
            var first = form.Field("first_name")?.Trim();
            var last = form.Field("last_name")?.Trim();
            var password = form.Field("password") ?? "";
            string? error =
                email is null || !email.Contains('@') || email.Length > 254 ? "Enter a valid email address." :
                password.Length < 8 ? "The password must have at least 8 characters." :
                svc.FindUserByEmail(email) is not null ? "An account with this email already exists. Sign in instead." :
                null;
            if (error is null)
            {
                try
                {
                    return SignedIn(ctx, svc, request, svc.CreateUser(email!, first, last, password));
                }
                catch (InvalidOperationException ex)
                {
                    error = ex.Message;
                }
            }

            return EmulatorResults.Html(ctx, 200, n => SignInPage.SignUp(request.Id, email, first, last, error, n), RedirectTargets.Origin(new Uri(request.RedirectUri)));
        });

        app.MapPost("/user_management/authorize/organization", async (HttpContext ctx) =>
        {
            var form = await ReadFormAsync(ctx);
            if (svc.FindAuthRequest(form.Field("request")) is not { UserId: not null } request || svc.FindUser(request.UserId) is not { } user)
            {
                return Expired(ctx);
            }

            var orgId = form.Field("organization_id");
            if (orgId is null || !svc.IsActiveMember(user.Id, orgId))
            {
                return ShowPicker(ctx, svc, request, user, "Choose one of your organizations.");
            }

            return IssueAndRedirect(ctx, svc, request, user, orgId, needsSelection: false, request.AuthTime!.Value, request.Method ?? "Password", request.BrowserSignInId);
        });
    }

    /// <summary>The user proved who they are on the page: remember the browser, then complete.</summary>
    private static IResult SignedIn(HttpContext ctx, EmulatorService svc, AuthRequest request, UserRecord user)
    {
        var now = svc.Clock.GetUtcNow();
        string? browserId = null;
        if (svc.Options.RememberBrowserSignIn)
        {
            var browser = svc.CreateBrowserSignIn(user.Id, now);
            browserId = browser.Id;
            ctx.Response.Cookies.Append(BrowserSignIn.CookieName, browser.Id, new CookieOptions
            {
                Path = "/user_management",
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                IsEssential = true,
            });
        }

        return Complete(ctx, svc, request, user, now, "Password", browserId, autoOrganizationId: null);
    }

    /// <summary>
    /// Decides the organization and issues the code. <paramref name="autoOrganizationId"/> is non-null in auto mode
    /// (empty when no auto organization is configured); then several memberships lead to the organization-selection grant
    /// instead of the picker page.
    /// </summary>
    private static IResult Complete(HttpContext ctx, EmulatorService svc, AuthRequest request, UserRecord user, DateTimeOffset authTime, string method, string? browserSignInId, string? autoOrganizationId)
    {
        if (request.OrganizationId is { } requested)
        {
            return svc.IsActiveMember(user.Id, requested)
                ? IssueAndRedirect(ctx, svc, request, user, requested, false, authTime, method, browserSignInId)
                : RedirectError(ctx, request.RedirectUri, request.State, "access_denied", $"The user is not an active member of organization '{requested}'.");
        }

        var active = svc.ActiveMemberships(user.Id);
        if (active.Count <= 1)
        {
            return IssueAndRedirect(ctx, svc, request, user, active.Count == 1 ? active[0].Organization.Id : null, false, authTime, method, browserSignInId);
        }

        if (user.PicksOrganizationInApplication)
        {
            // What WorkOS's API does: the code carries no organization and the code exchange asks the application.
            return IssueAndRedirect(ctx, svc, request, user, null, needsSelection: true, authTime, method, browserSignInId);
        }

        if (autoOrganizationId is not null)
        {
            var chosen = autoOrganizationId.Length > 0 && svc.IsActiveMember(user.Id, autoOrganizationId) ? autoOrganizationId : null;
            return IssueAndRedirect(ctx, svc, request, user, chosen, needsSelection: chosen is null, authTime, method, browserSignInId);
        }

        request.UserId = user.Id;
        request.AuthTime = authTime;
        request.Method = method;
        request.BrowserSignInId = browserSignInId;
        svc.AddAuthRequest(request);
        return ShowPicker(ctx, svc, request, user, null);
    }

    private static IResult IssueAndRedirect(HttpContext ctx, EmulatorService svc, AuthRequest request, UserRecord user, string? orgId, bool needsSelection, DateTimeOffset authTime, string method, string? browserSignInId)
    {
        var code = svc.IssueCode(request.Challenge, user.Id, orgId, needsSelection, authTime, method, browserSignInId);
        request.Completed = true;
        var values = new List<KeyValuePair<string, string?>> { new("code", code) };
        if (request.State is not null)
        {
            values.Add(new("state", request.State));
        }

        return EmulatorResults.Redirect(ctx, RedirectTargets.WithQuery(request.RedirectUri, values));
    }

    private static IResult RedirectError(HttpContext ctx, string redirectUri, string? state, string error, string description)
    {
        var values = new List<KeyValuePair<string, string?>> { new("error", error), new("error_description", description) };
        if (state is not null)
        {
            values.Add(new("state", state));
        }

        return EmulatorResults.Redirect(ctx, RedirectTargets.WithQuery(redirectUri, values));
    }

    private static IResult ShowSignIn(HttpContext ctx, EmulatorService svc, AuthRequest request, string? error, string? notice, string? emailValue)
    {
        var choices = svc.Users.Select(u =>
        {
            var orgs = svc.ActiveMemberships(u.Id).Select(m => $"{m.Organization.Name} ({m.Membership.Role})");
            var detail = string.Join(", ", orgs);
            if (u.Impersonator is { } imp)
            {
                detail = (detail.Length > 0 ? detail + " · " : "") + "impersonated by " + imp.Email;
            }

            var suggested = request.LoginHint is not null && string.Equals(request.LoginHint, u.Email, StringComparison.OrdinalIgnoreCase);
            return new SignInPage.UserChoice(u.Id, u.Email, u.DisplayName, detail, suggested);
        }).ToList();
        return EmulatorResults.Html(ctx, 200, n => SignInPage.SignIn(request.Id, choices, emailValue, error, notice, n), RedirectTargets.Origin(new Uri(request.RedirectUri)));
    }

    private static IResult ShowPicker(HttpContext ctx, EmulatorService svc, AuthRequest request, UserRecord user, string? error)
    {
        var orgs = svc.ActiveMemberships(user.Id).Select(m => new SignInPage.OrgChoice(m.Organization.Id, m.Organization.Name, m.Membership.Role)).ToList();
        return EmulatorResults.Html(ctx, 200, n => SignInPage.OrganizationPicker(request.Id, user.Email, orgs, error, n), RedirectTargets.Origin(new Uri(request.RedirectUri)));
    }

    private static IResult Expired(HttpContext ctx) =>
        EmulatorResults.Html(ctx, 400, n => SignInPage.Error("Sign-in request expired", "This sign-in request is unknown, finished, or has expired.", n));

    private static AuthRequest WithLoginHint(AuthRequest r, string hint) => new()
    {
        Id = r.Id, RedirectUri = r.RedirectUri, State = r.State, Challenge = r.Challenge, ScreenHint = r.ScreenHint,
        OrganizationId = r.OrganizationId, LoginHint = hint, Prompt = r.Prompt, MaxAge = r.MaxAge, ExpiresAt = r.ExpiresAt,
    };

    private static async Task<IReadOnlyDictionary<string, string?>> ReadFormAsync(HttpContext ctx) =>
        ctx.Request.HasFormContentType ? await RequestInput.ReadFieldsAsync(ctx) ?? new Dictionary<string, string?>() : new Dictionary<string, string?>();

    private static (string Error, string Description)? Validate(HttpContext ctx, EmulatorService svc)
    {
        if (ctx.Query("response_type") != "code")
        {
            return ("unsupported_response_type", "response_type must be code.");
        }

        if (ctx.Query("provider") is { } provider && !Providers.Contains(provider))
        {
            return ("invalid_request", "provider must be authkit or an OAuth provider such as GoogleOAuth.");
        }

        if (ctx.Query("connection_id") is { } connection && !connection.StartsWith("conn_", StringComparison.Ordinal))
        {
            return ("invalid_request", "connection_id must be a connection id (conn_...).");
        }

        if (ctx.Query("invitation_token") is { Length: 0 or > 512 })
        {
            return ("invalid_request", "invitation_token is not valid.");
        }

        if (!IsChallenge(ctx.Query("code_challenge")))
        {
            return ("invalid_request", "code_challenge is required: 43 to 128 base64url characters.");
        }

        if (ctx.Query("code_challenge_method") != "S256")
        {
            return ("invalid_request", "code_challenge_method must be S256.");
        }

        if (ctx.Query("prompt") is { } prompt && !Prompts.Contains(prompt))
        {
            return ("invalid_request", "prompt must be login, none, consent or select_account.");
        }

        if (ctx.Query("screen_hint") is { } hint && hint is not ("sign-in" or "sign-up"))
        {
            return ("invalid_request", "screen_hint must be sign-in or sign-up.");
        }

        if (ctx.Query("max_age") is { } maxAge && !int.TryParse(maxAge, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return ("invalid_request", "max_age must be a whole number of seconds.");
        }

        if (ctx.Query("organization_id") is { } orgId && svc.FindOrganization(orgId) is null)
        {
            return ("invalid_request", "organization_id names an unknown organization.");
        }

        return null;
    }

    private static bool IsChallenge(string? value) =>
        value is { Length: >= 43 and <= 128 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
