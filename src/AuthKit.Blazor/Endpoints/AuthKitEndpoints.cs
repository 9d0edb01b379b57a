using System.Net;
using AuthKit.Session;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor;

/// <summary>The handlers behind <c>MapAuthKit()</c>. Every failure is a clear 4xx/5xx result, never an unhandled exception.</summary>
internal static partial class AuthKitEndpoints
{
    private const string LoggerCategory = "AuthKit.Blazor.Endpoints";

    /// <summary>The <c>X-AuthKit-Session</c> value that asks the session endpoint for the client state too.</summary>
    internal const string SessionStateMarker = "state";

    /// <summary>The <c>AuthKit</c> scheme's options (paths, events).</summary>
    internal static AuthKitAuthenticationOptions SchemeOptions(IServiceProvider services) =>
        services.GetRequiredService<IOptionsMonitor<AuthKitAuthenticationOptions>>().Get(AuthKitDefaults.AuthenticationScheme);

    // ---------------------------------------------------------------- sign-out

    public static async Task<IResult> SignOutAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var options = SchemeOptions(services);
        var cookies = services.GetRequiredService<HttpSessionCookies>();
        var auth = (await context.AuthenticateAsync(AuthKitDefaults.AuthenticationScheme).ConfigureAwait(false)).Principal.GetAuthResult();
        if (await ValidateAntiforgeryAsync(context).ConfigureAwait(false) is { } rejected)
        {
            // A forged or cross-site POST never signs anyone out: nothing is written and no session is ended. The one
            // exception is harmless: a page of this site whose session already ended posts a token issued to the user it
            // had then; with nobody signed in there is nothing to do but go home (without clearing anything).
            if (!auth.IsAuthenticated && await IsStaleSameSiteFormAsync(context).ConfigureAwait(false))
            {
                return TypedResults.Redirect(SafeLocation(context.Request.PathBase + options.SignedOutReturnPath));
            }

            return rejected;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var returnPath = ReturnPath.Sanitize(form["returnTo"].ToString() is { Length: > 0 } r ? r : null, options.SignedOutReturnPath);

        var signOut = services.GetRequiredService<SessionSignOut>();
        var ending = signOut.Identify(context.Request, auth);
        var (sessionId, userId) = (ending.SessionId, ending.UserId);

        // Everything that could fail is computed before the session is ended and the cookie cleared.
        string redirect = SafeLocation(returnPath);
        if (!string.IsNullOrEmpty(sessionId))
        {
            // The app's public origin comes from the configured redirect URI (trusted, right behind proxies), not the Host header.
            var redirectUri = services.GetRequiredService<IOptions<AuthKitOptions>>().Value.RedirectUri;
            var origin = Uri.TryCreate(redirectUri, UriKind.Absolute, out var configured)
                ? configured.GetLeftPart(UriPartial.Authority)
                : $"{context.Request.Scheme}://{context.Request.Host.ToUriComponent()}";
            var absoluteReturn = origin + context.Request.PathBase.ToUriComponent() + returnPath;
            redirect = services.GetRequiredService<IWorkOSUserManagement>().GetLogoutUrl(sessionId, absoluteReturn).AbsoluteUri;
        }

        await signOut.EndAsync(context.Response, ending).ConfigureAwait(false);
        var events = AuthKitEventsRunner.Resolve(services, options);
        var signedOut = new AuthKitSignedOutContext(context, userId, sessionId, redirect);
        await events.SignedOutAsync(signedOut).ConfigureAwait(false);
        LogSignedOut(Logger(context), sessionId is not null);
        return TypedResults.Redirect(SafeLocation(signedOut.RedirectUri, redirect));
    }

    /// <summary>
    /// A form posted by a page of this site (the browser sent the antiforgery cookie, which is SameSite=Strict, and the
    /// form's token field, and did not call it cross-site) whose token no longer matches because its user is gone.
    /// </summary>
    private static async Task<bool> IsStaleSameSiteFormAsync(HttpContext context)
    {
        var request = context.Request;
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0 && !string.Equals(fetchSite, "same-origin", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !IsSameOrigin(request, origin))
        {
            return false;
        }

        var antiforgery = context.RequestServices.GetRequiredService<IOptions<AntiforgeryOptions>>().Value;
        if (!request.HasFormContentType || antiforgery.Cookie.Name is not { } cookieName || !request.Cookies.ContainsKey(cookieName))
        {
            return false;
        }

        try
        {
            var form = await request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            return form.TryGetValue(antiforgery.FormFieldName, out var token) && token.ToString().Length > 0;
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException or AntiforgeryValidationException)
        {
            return false;
        }
    }

    // ---------------------------------------------------------------- switch organization

    public static async Task<IResult> SwitchOrganizationAsync(HttpContext context)
    {
        var services = context.RequestServices;
        if (await ValidateAntiforgeryAsync(context).ConfigureAwait(false) is { } rejected)
        {
            return rejected;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var organizationId = form["organizationId"].ToString();
        var returnPath = ReturnPath.Sanitize(form["returnPathname"].ToString() is { Length: > 0 } r ? r : null);
        if (string.IsNullOrWhiteSpace(organizationId) || organizationId.Length > 256)
        {
            return ErrorPage(StatusCodes.Status400BadRequest, "Organization switch failed", "The request did not name an organization.");
        }

        var auth = (await context.AuthenticateAsync(AuthKitDefaults.AuthenticationScheme).ConfigureAwait(false)).Principal.GetAuthResult();
        if (!auth.IsAuthenticated)
        {
            return TypedResults.Challenge(new AuthenticationProperties { RedirectUri = returnPath }, [AuthKitDefaults.AuthenticationScheme]);
        }

        var cookies = services.GetRequiredService<HttpSessionCookies>();
        var resolver = services.GetRequiredService<SessionResolver>();
        var resolution = await resolver.SwitchOrganizationAsync(auth.Session, organizationId, context.RequestAborted).ConfigureAwait(false);
        switch (resolution.Status)
        {
            case SessionResolutionStatus.Updated:
                cookies.WriteSession(context.Response, resolution.SealedSession!);
                context.User = await CreateRequestPrincipalAsync(context, resolution.Auth).ConfigureAwait(false);
                LogSwitched(Logger(context));
                return TypedResults.Redirect(SafeLocation(returnPath));
            case SessionResolutionStatus.Ended:
                cookies.ClearSession(context.Response);
                return TypedResults.Challenge(new AuthenticationProperties { RedirectUri = returnPath }, [AuthKitDefaults.AuthenticationScheme]);
            case SessionResolutionStatus.Unavailable when IsTransient(resolution.Error):
                return ErrorPage(StatusCodes.Status503ServiceUnavailable, "Organization switch failed", "WorkOS could not be reached. You are still signed in; try again in a moment.");
            default:
                LogSwitchRejected(Logger(context), resolution.Error?.GetType().Name ?? resolution.Status.ToString());
                return ErrorPage(StatusCodes.Status400BadRequest, "Organization switch failed", "You could not be switched to that organization. Check that you are a member of it.");
        }
    }

    /// <summary>
    /// The principal for the rest of this request after the endpoint changed the session (sign-in callback, organization
    /// switch): passed through the app's <see cref="IClaimsTransformation"/> as the authentication middleware does for
    /// every other request.
    /// </summary>
    private static Task<System.Security.Claims.ClaimsPrincipal> CreateRequestPrincipalAsync(HttpContext context, AuthResult auth) =>
        AuthKitTransformedPrincipal.CreateAsync(auth, context.RequestServices.GetService<IClaimsTransformation>(), context.RequestAborted);

    private static bool IsTransient(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is WorkOSApiException api)
            {
                return api.IsTransient;
            }
        }

        return true;
    }

    // ---------------------------------------------------------------- session (called by the circuit)

    public static async Task<IResult> SessionAsync(HttpContext context)
    {
        var request = context.Request;
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0 && !string.Equals(fetchSite, "same-origin", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !IsSameOrigin(request, origin))
        {
            return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
        }

        var marker = request.Headers[AuthKitDefaults.SessionRequestHeader].ToString();
        if (string.IsNullOrEmpty(marker))
        {
            return TypedResults.BadRequest();
        }

        // The scheme handler already ran for this request: it picked up the newest session from the relay (following
        // chains), refreshed it when needed, and wrote it into the cookie on this response.
        var auth = (await context.AuthenticateAsync(AuthKitDefaults.AuthenticationScheme).ConfigureAwait(false)).Principal.GetAuthResult();
        context.Response.Headers.CacheControl = "no-store";
        // "state" (the WebAssembly client's check) also asks for the session's user and claims; never a token.
        var state = string.Equals(marker, SessionStateMarker, StringComparison.Ordinal) ? AuthKit.Blazor.Internal.AuthKitClientState.From(auth)?.ToJson() : null;
        return TypedResults.Ok(new SessionEndpointResponse(auth.IsAuthenticated, auth.IsAuthenticated ? auth.SessionId : null, auth.AccessTokenExpiresAt?.ToUnixTimeSeconds(), state));
    }

    // ---------------------------------------------------------------- helpers

    private static async Task<IResult?> ValidateAntiforgeryAsync(HttpContext context)
    {
        var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
        if (!context.Request.HasFormContentType || !await IsAntiforgeryValidAsync(antiforgery, context).ConfigureAwait(false))
        {
            LogAntiforgeryRejected(Logger(context), context.Request.Path.Value ?? string.Empty);
            return ErrorPage(StatusCodes.Status400BadRequest, "Request rejected", "This form has expired or did not come from this site. Go back, reload the page and try again.");
        }

        return null;
    }

    /// <summary>
    /// A <c>Location</c> value that can be written as a header: printable ASCII only (a redirect that cannot be written
    /// would turn into a 500 after the endpoint already acted). Anything else becomes <paramref name="fallback"/>, or <c>/</c>.
    /// </summary>
    internal static string SafeLocation(string? location, string fallback = "/")
    {
        static bool IsHeaderSafe(string? value) => !string.IsNullOrEmpty(value) && !value.AsSpan().ContainsAnyExceptInRange(' ', '~');
        return IsHeaderSafe(location) ? location! : IsHeaderSafe(fallback) ? fallback : "/";
    }

    /// <summary>A body that is not a readable form (malformed multipart, over the form limits) is an invalid request, not a 500.</summary>
    private static async Task<bool> IsAntiforgeryValidAsync(IAntiforgery antiforgery, HttpContext context)
    {
        try
        {
            return await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false) &&
                   (await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false)) is not null;
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException or AntiforgeryValidationException)
        {
            return false;
        }
    }

    private static bool IsSameOrigin(HttpRequest request, string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) &&
        string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}", request.Host.Value, StringComparison.OrdinalIgnoreCase);

    /// <summary>A small self-contained HTML error page; every dynamic part is HTML-encoded.</summary>
    internal static IResult ErrorPage(int statusCode, string title, string message, string? retryPath = null)
    {
        var retry = retryPath is null ? string.Empty : $"<p><a href=\"{WebUtility.HtmlEncode(retryPath)}\">Try again</a></p>";
        var html = $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{WebUtility.HtmlEncode(title)}}</title>
            <style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.5}</style></head>
            <body><main class="authkit-error"><h1>{{WebUtility.HtmlEncode(title)}}</h1><p>{{WebUtility.HtmlEncode(message)}}</p>{{retry}}<p><a href="/">Home</a></p></main></body></html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8", statusCode: statusCode);
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerCategory);

    [LoggerMessage(EventId = 5401, Level = LogLevel.Information, Message = "AuthKit sign-out (had session: {HadSession}).")]
    private static partial void LogSignedOut(ILogger logger, bool hadSession);

    [LoggerMessage(EventId = 5402, Level = LogLevel.Information, Message = "AuthKit organization switch succeeded.")]
    private static partial void LogSwitched(ILogger logger);

    [LoggerMessage(EventId = 5403, Level = LogLevel.Warning, Message = "AuthKit organization switch rejected ({Reason}).")]
    private static partial void LogSwitchRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 5404, Level = LogLevel.Warning, Message = "AuthKit rejected a POST to {Path}: missing or invalid antiforgery token.")]
    private static partial void LogAntiforgeryRejected(ILogger logger, string path);
}

/// <summary>The session endpoint's JSON answer.</summary>
/// <param name="Authenticated">Whether the cookie now holds a live session.</param>
/// <param name="SessionId">The session id, when authenticated.</param>
/// <param name="ExpiresAt">The cookie's access-token expiry (Unix seconds), when authenticated.</param>
/// <param name="State">The WebAssembly client's state (user, claims; no token) when asked with <c>X-AuthKit-Session: state</c> and authenticated.</param>
internal sealed record SessionEndpointResponse(bool Authenticated, string? SessionId, long? ExpiresAt,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] System.Text.Json.JsonElement? State = null);
