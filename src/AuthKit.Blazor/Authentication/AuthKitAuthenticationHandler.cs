using System.Text.Encodings.Web;
using AuthKit.Session;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace AuthKit.Blazor;

/// <summary>
/// The <c>AuthKit</c> authentication scheme: reads the session cookie on every HTTP request (pages, prerendering, the
/// <c>_blazor</c> connection, endpoints), picks up a rotated session from the relay, refreshes when the access token
/// is expired or within the refresh buffer, writes the new cookie on the same response, and signs the request in
/// with an <see cref="AuthKitIdentity"/>. Bad cookies become anonymous and are cleared. Paths and events come from
/// <see cref="AuthKitAuthenticationOptions"/>; the base class resolves <see cref="Events"/> (<c>EventsType</c> from the
/// request's services, else <c>Options.Events</c>) as the cookie handler does.
/// </summary>
internal sealed partial class AuthKitAuthenticationHandler(
    IOptionsMonitor<AuthKitAuthenticationOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    SessionResolver resolver,
    HttpSessionCookies cookies)
    : AuthenticationHandler<AuthKitAuthenticationOptions>(schemeOptions, loggerFactory, encoder), IAuthenticationSignOutHandler
{
    /// <summary>The scheme's events, set by the base class from the options before the first handler call.</summary>
    private new AuthKitEvents Events
    {
        get => (AuthKitEvents)base.Events!;
        set => base.Events = value;
    }

    /// <summary>The events when neither <c>EventsType</c> nor <c>Events</c> is set: no-ops.</summary>
    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new AuthKitEvents());

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var values = cookies.ReadSessions(Request);
        if (values.Count == 0)
        {
            return AuthenticateResult.NoResult();
        }

        SessionResolution resolution;
        try
        {
            resolution = values.Count == 1
                ? await resolver.ResolveCookieAsync(values[0], Context.RequestAborted).ConfigureAwait(false)
                : await ResolveFirstSessionAsync(values).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (Context.RequestAborted.IsCancellationRequested)
        {
            return AuthenticateResult.NoResult();
        }

        var wroteSession = false;
        if (resolution.SealedSession is { } rotated)
        {
            cookies.WriteSession(Response, rotated);
            wroteSession = true;
        }
        else if (resolution.ClearCookie)
        {
            cookies.ClearSession(Response);
        }

        await RaiseEventsAsync(resolution).ConfigureAwait(false);

        if (!resolution.IsSignedIn)
        {
            LogAnonymous(Logger, resolution.Status);
            return AuthenticateResult.NoResult();
        }

        if (Options.NoStoreWhenSignedIn)
        {
            Response.OnStarting(ApplyNoStore, (Response, wroteSession));
        }

        var principal = AuthKitIdentity.CreatePrincipal(resolution.Auth);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    /// <summary>
    /// Several session cookies arrived (one may be planted by a sibling subdomain or another path): the first that holds a
    /// live session wins, and a garbage sibling never causes the cookie to be cleared. Only when none unseals is the
    /// result "invalid" (and the cookie cleared).
    /// </summary>
    private async Task<SessionResolution> ResolveFirstSessionAsync(StringValues values)
    {
        SessionResolution? firstUnsealed = null;
        foreach (var value in values)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            var resolution = await resolver.ResolveCookieAsync(value, Context.RequestAborted).ConfigureAwait(false);
            if (resolution.IsSignedIn)
            {
                return resolution;
            }

            if (resolution.Status != SessionResolutionStatus.Invalid)
            {
                firstUnsealed ??= resolution;
            }
        }

        return firstUnsealed ?? SessionResolution.Invalid;
    }

    /// <summary>
    /// A response rendered for a signed-in user must not be stored by a browser or shared cache: <c>Cache-Control: private,
    /// no-store</c> and <c>Vary: Cookie</c>. An explicit <c>Cache-Control</c> the app set for the response is kept (the app
    /// decided), except when this response also carries a rotated session cookie: then it is always <c>private, no-store</c>,
    /// because a cached <c>Set-Cookie</c> hands the session to whoever gets the cached copy.
    /// </summary>
    private static Task ApplyNoStore(object state)
    {
        var (response, wroteSession) = ((HttpResponse, bool))state;
        var headers = response.Headers;
        if (wroteSession || StringValues.IsNullOrEmpty(headers.CacheControl))
        {
            headers.CacheControl = "private, no-store";
            headers.Pragma = "no-cache";
        }

        var vary = headers.Vary;
        var hasCookie = false;
        foreach (var value in vary)
        {
            foreach (var part in (value ?? "").Split(','))
            {
                var name = part.Trim();
                hasCookie |= name == "*" || string.Equals(name, "Cookie", StringComparison.OrdinalIgnoreCase);
            }
        }

        if (!hasCookie)
        {
            headers.Vary = StringValues.Concat(vary, "Cookie");
        }

        return Task.CompletedTask;
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var maxAge = StepUp.ReadMaxAge(properties);
        if (IsApiRequest(Request))
        {
            if (maxAge is { } age)
            {
                // RFC 9470's step-up error, so a fetch caller knows a fresh sign-in (not just any) is needed.
                Response.Headers.Append(HeaderNames.WWWAuthenticate,
                    $"AuthKit error=\"insufficient_user_authentication\", max_age=\"{((long)age.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)}\"");
                return AuthKit.Blazor.WebAssembly.AuthKitApiProxy.JsonErrorAsync(Context, StatusCodes.Status401Unauthorized, "insufficient_user_authentication", "Sign in again: this needs a recent sign-in.");
            }

            // API callers (fetch from WebAssembly, XHR, JSON clients) get a JSON 401, never a redirect to sign-in.
            return AuthKit.Blazor.WebAssembly.AuthKitApiProxy.JsonErrorAsync(Context, StatusCodes.Status401Unauthorized, "unauthenticated", "Sign in again: there is no live session.");
        }

        var returnPath = properties.RedirectUri;
        if (string.IsNullOrEmpty(returnPath))
        {
            returnPath = OriginalPathBase + OriginalPath + Request.QueryString;
        }

        var signIn = Request.PathBase + Options.SignInPath;
        var location = QueryHelpers.AddQueryString(signIn, "returnPathname", ReturnPath.Sanitize(returnPath));
        if (maxAge is { } stepUp)
        {
            // Step-up: WorkOS asks for a fresh sign-in when the last one is older than max_age.
            location = QueryHelpers.AddQueryString(location, "maxAge", ((long)stepUp.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Response.Redirect(location);
        return Task.CompletedTask;
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (IsApiRequest(Request))
        {
            return AuthKit.Blazor.WebAssembly.AuthKitApiProxy.JsonErrorAsync(Context, StatusCodes.Status403Forbidden, "forbidden", "The signed-in user may not do this.");
        }

        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    /// <summary><c>HttpContext.SignOutAsync("AuthKit")</c>: records the session as ended and clears the cookie (no WorkOS redirect).</summary>
    public async Task SignOutAsync(AuthenticationProperties? properties)
    {
        var auth = (await Context.AuthenticateAsync(Scheme.Name).ConfigureAwait(false)).Principal.GetAuthResult();
        var signOut = Context.RequestServices.GetRequiredService<SessionSignOut>();
        await signOut.EndAsync(Response, signOut.Identify(Request, auth)).ConfigureAwait(false);
    }

    /// <summary>
    /// Fetch/XHR/JSON callers get 401 instead of a redirect to the sign-in page. Requests asking for HTML (page loads,
    /// Blazor enhanced navigation's <c>fetch</c>) are navigations and get the redirect.
    /// </summary>
    internal static bool IsApiRequest(HttpRequest request)
    {
        var headers = request.Headers;
        if (string.Equals(headers.XRequestedWith, "XMLHttpRequest", StringComparison.OrdinalIgnoreCase) || headers.ContainsKey(AuthKitDefaults.CsrfHeaderName))
        {
            return true;
        }

        var accept = headers.Accept.ToString();
        if (accept.Contains("text/html", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var mode = headers["Sec-Fetch-Mode"].ToString();
        if (mode.Length > 0 && !string.Equals(mode, "navigate", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return accept.Contains("application/json", StringComparison.OrdinalIgnoreCase);
    }

    private Task RaiseEventsAsync(SessionResolution resolution) =>
        resolution.Previous is { } previous
            ? AuthKitEventsRunner.RaiseRefreshEventsAsync(Events, Context.RequestServices, Context, previous, resolution, Logger)
            : Task.CompletedTask;

    [LoggerMessage(EventId = 5001, Level = LogLevel.Debug, Message = "AuthKit: request is anonymous ({Status}).")]
    private static partial void LogAnonymous(ILogger logger, SessionResolutionStatus status);
}
