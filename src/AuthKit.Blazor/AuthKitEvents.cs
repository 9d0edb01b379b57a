using AuthKit.Session;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Blazor;

/// <summary>
/// Hooks into AuthKit's sign-in, sign-out, refresh and callback-error moments. Every hook defaults to a no-op.
/// Set the delegates (through <c>AddAuthKit().WithEvents(...)</c>, which sets <see cref="AuthKitAuthenticationOptions.Events"/>)
/// or derive and override the methods (registered with <c>AddAuthKit().WithEvents&lt;TEvents&gt;()</c>, which sets the
/// scheme's <c>EventsType</c>).
/// </summary>
public class AuthKitEvents
{
    /// <summary>After a successful sign-in callback, before the redirect; may change <see cref="AuthKitSignedInContext.ReturnPath"/>.</summary>
    public Func<AuthKitSignedInContext, Task> OnSignedIn { get; set; } = _ => Task.CompletedTask;

    /// <summary>After sign-out cleared the cookie, before the redirect; may change <see cref="AuthKitSignedOutContext.RedirectUri"/>.</summary>
    public Func<AuthKitSignedOutContext, Task> OnSignedOut { get; set; } = _ => Task.CompletedTask;

    /// <summary>After a session was refreshed (HTTP request or circuit).</summary>
    public Func<AuthKitSessionRefreshedContext, Task> OnSessionRefreshed { get; set; } = _ => Task.CompletedTask;

    /// <summary>After a refresh failed (final or transient).</summary>
    public Func<AuthKitSessionRefreshFailedContext, Task> OnSessionRefreshFailed { get; set; } = _ => Task.CompletedTask;

    /// <summary>When the sign-in callback fails; may set <see cref="AuthKitCallbackErrorContext.Result"/> to answer differently.</summary>
    public Func<AuthKitCallbackErrorContext, Task> OnCallbackError { get; set; } = _ => Task.CompletedTask;

    /// <summary>
    /// When WorkOS needs another sign-in step (organization selection, email verification, MFA) and AuthKit is about to show
    /// its page for it (also after a refused answer); may set <see cref="AuthKitPendingSignInContext.Result"/> to show the
    /// app's own page (for example a Razor component through <c>RazorComponentResult</c>).
    /// </summary>
    public Func<AuthKitPendingSignInContext, Task> OnPendingSignIn { get; set; } = _ => Task.CompletedTask;

    /// <summary>Invokes <see cref="OnPendingSignIn"/>.</summary>
    public virtual Task PendingSignInAsync(AuthKitPendingSignInContext context) => OnPendingSignIn(context);

    /// <summary>Invokes <see cref="OnSignedIn"/>.</summary>
    public virtual Task SignedInAsync(AuthKitSignedInContext context) => OnSignedIn(context);

    /// <summary>Invokes <see cref="OnSignedOut"/>.</summary>
    public virtual Task SignedOutAsync(AuthKitSignedOutContext context) => OnSignedOut(context);

    /// <summary>Invokes <see cref="OnSessionRefreshed"/>.</summary>
    public virtual Task SessionRefreshedAsync(AuthKitSessionRefreshedContext context) => OnSessionRefreshed(context);

    /// <summary>Invokes <see cref="OnSessionRefreshFailed"/>.</summary>
    public virtual Task SessionRefreshFailedAsync(AuthKitSessionRefreshFailedContext context) => OnSessionRefreshFailed(context);

    /// <summary>Invokes <see cref="OnCallbackError"/>.</summary>
    public virtual Task CallbackErrorAsync(AuthKitCallbackErrorContext context) => OnCallbackError(context);
}

/// <summary>Common members of AuthKit event contexts.</summary>
public abstract class AuthKitEventContext
{
    /// <summary>Creates the context.</summary>
    protected AuthKitEventContext(IServiceProvider services, HttpContext? httpContext)
    {
        Services = services;
        HttpContext = httpContext;
    }

    /// <summary>Services of the current request or circuit.</summary>
    public IServiceProvider Services { get; }

    /// <summary>The HTTP request, or null when the event comes from an interactive circuit.</summary>
    public HttpContext? HttpContext { get; }
}

/// <summary>Context of <see cref="AuthKitEvents.OnSignedIn"/>.</summary>
public sealed class AuthKitSignedInContext : AuthKitEventContext
{
    /// <summary>Creates the context.</summary>
    public AuthKitSignedInContext(HttpContext httpContext, AuthenticationResponse response, AuthResult auth, string returnPath)
        : base(httpContext.RequestServices, httpContext)
    {
        Response = response;
        Auth = auth;
        ReturnPath = returnPath;
    }

    /// <summary>The WorkOS authentication response (user, tokens, organization, impersonator).</summary>
    public AuthenticationResponse Response { get; }

    /// <summary>The new session.</summary>
    public AuthResult Auth { get; }

    /// <summary>Where the browser goes next (a local path; sanitized again after the event). Settable.</summary>
    public string ReturnPath { get; set; }

    /// <summary>The application state given when the sign-in started (the sign-in endpoint's <c>state</c>), if any.</summary>
    public string? State { get; init; }
}

/// <summary>Context of <see cref="AuthKitEvents.OnSignedOut"/>.</summary>
public sealed class AuthKitSignedOutContext : AuthKitEventContext
{
    /// <summary>Creates the context.</summary>
    public AuthKitSignedOutContext(HttpContext httpContext, string? userId, string? sessionId, string redirectUri)
        : base(httpContext.RequestServices, httpContext)
    {
        UserId = userId;
        SessionId = sessionId;
        RedirectUri = redirectUri;
    }

    /// <summary>The user who signed out, when there was a session.</summary>
    public string? UserId { get; }

    /// <summary>The ended session id, when there was a session.</summary>
    public string? SessionId { get; }

    /// <summary>Where the browser goes next: the WorkOS logout URL, or the local return path when there was no session. Settable.</summary>
    public string RedirectUri { get; set; }
}

/// <summary>Context of <see cref="AuthKitEvents.OnSessionRefreshed"/>.</summary>
public sealed class AuthKitSessionRefreshedContext : AuthKitEventContext
{
    /// <summary>Creates the context.</summary>
    public AuthKitSessionRefreshedContext(IServiceProvider services, HttpContext? httpContext, AuthResult previous, AuthResult current)
        : base(services, httpContext)
    {
        Previous = previous;
        Current = current;
    }

    /// <summary>The session before the refresh.</summary>
    public AuthResult Previous { get; }

    /// <summary>The refreshed session.</summary>
    public AuthResult Current { get; }
}

/// <summary>Context of <see cref="AuthKitEvents.OnSessionRefreshFailed"/>.</summary>
public sealed class AuthKitSessionRefreshFailedContext : AuthKitEventContext
{
    /// <summary>Creates the context.</summary>
    public AuthKitSessionRefreshFailedContext(IServiceProvider services, HttpContext? httpContext, Exception exception, bool isFinal, string? userId, string? sessionId)
        : base(services, httpContext)
    {
        Exception = exception;
        IsFinal = isFinal;
        UserId = userId;
        SessionId = sessionId;
    }

    /// <summary>The failure (its message never contains tokens).</summary>
    public Exception Exception { get; }

    /// <summary>True when the session is over (refresh token rejected or revoked); false for transient failures.</summary>
    public bool IsFinal { get; }

    /// <summary>The user, when known.</summary>
    public string? UserId { get; }

    /// <summary>The session id, when known.</summary>
    public string? SessionId { get; }
}

/// <summary>Context of <see cref="AuthKitEvents.OnCallbackError"/>.</summary>
public sealed class AuthKitCallbackErrorContext : AuthKitEventContext
{
    /// <summary>Creates the context.</summary>
    public AuthKitCallbackErrorContext(HttpContext httpContext, string error, string message, Exception? exception)
        : base(httpContext.RequestServices, httpContext)
    {
        Error = error;
        Message = message;
        Exception = exception;
    }

    /// <summary>
    /// Short error code: <c>state_mismatch</c>, <c>verifier_missing</c>, <c>invalid_state</c>, <c>missing_code</c>,
    /// <c>exchange_failed</c>, <c>workos_unavailable</c>, or the <c>error</c> WorkOS sent back (e.g. <c>access_denied</c>).
    /// </summary>
    public string Error { get; }

    /// <summary>A human-readable explanation, safe to show (no tokens).</summary>
    public string Message { get; }

    /// <summary>The exception, when one was thrown.</summary>
    public Exception? Exception { get; }

    /// <summary>Set to answer with this result instead of the error page or <see cref="AuthKitAuthenticationOptions.ErrorPath"/>.</summary>
    public IResult? Result { get; set; }
}
