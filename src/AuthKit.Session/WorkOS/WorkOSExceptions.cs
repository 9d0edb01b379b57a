using System.Net;

namespace AuthKit.Session;

/// <summary>A WorkOS API call failed. The message never contains tokens, codes, verifiers or keys.</summary>
public class WorkOSApiException : AuthKitException
{
    /// <summary>Creates the exception.</summary>
    public WorkOSApiException(string message, HttpStatusCode? status, string? requestId = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Status = status;
        RequestId = requestId;
    }

    /// <summary>
    /// WorkOS's error <c>code</c> when the body had one (e.g. <c>invalid_code</c>, <c>expired_code</c>,
    /// <c>invalid_one_time_code</c>, <c>invalid_pending_authentication_token</c>); null otherwise.
    /// </summary>
    public string? ErrorCode { get; init; }

    /// <summary>HTTP status, or null when no response arrived (timeout, network).</summary>
    public HttpStatusCode? Status { get; }

    /// <summary>WorkOS request id (<c>X-Request-ID</c>), when sent.</summary>
    public string? RequestId { get; }

    /// <summary>Whether retrying later may succeed (no response, 5xx, 429).</summary>
    public virtual bool IsTransient => Status is null || (int)Status >= 500 || Status == HttpStatusCode.TooManyRequests;
}

/// <summary>An OAuth error body (<c>{"error":..,"error_description":..}</c>), e.g. <c>invalid_grant</c>.</summary>
public sealed class WorkOSOAuthException : WorkOSApiException
{
    /// <summary>Creates the exception.</summary>
    public WorkOSOAuthException(string error, string? errorDescription, HttpStatusCode status, string? requestId = null)
        : base($"WorkOS rejected the request: {error}{(string.IsNullOrEmpty(errorDescription) ? "" : " (" + errorDescription + ")")}.", status, requestId)
    {
        Error = error;
        ErrorDescription = errorDescription;
    }

    /// <summary>The OAuth error code (<c>invalid_grant</c>, <c>invalid_request</c>, ...).</summary>
    public string Error { get; }

    /// <summary>The error description.</summary>
    public string? ErrorDescription { get; }

    /// <summary>True for <c>invalid_grant</c>: the code or refresh token is bad, used or revoked.</summary>
    public bool IsInvalidGrant => Error == "invalid_grant";
}

/// <summary>
/// WorkOS needs another step before issuing tokens (403 with <c>code</c>:
/// <c>organization_selection_required</c>, <c>email_verification_required</c>, <c>mfa_enrollment</c>, <c>mfa_challenge</c>, <c>sso_required</c>).
/// </summary>
public sealed class WorkOSAuthenticationRequiredException : WorkOSApiException
{
    /// <summary>Creates the exception.</summary>
    public WorkOSAuthenticationRequiredException(string code, string? message, string? pendingAuthenticationToken, IReadOnlyList<Organization> organizations, string? requestId = null)
        : base($"WorkOS requires another authentication step: {code}{(string.IsNullOrEmpty(message) ? "" : " (" + message + ")")}.", HttpStatusCode.Forbidden, requestId)
    {
        Code = code;
        PendingAuthenticationToken = pendingAuthenticationToken;
        Organizations = organizations;
    }

    /// <summary>Creates the exception from WorkOS's typed answer.</summary>
    public WorkOSAuthenticationRequiredException(PendingAuthentication pending, string? requestId)
        : this((pending ?? throw new ArgumentNullException(nameof(pending))).Code, pending.Message, pending.Token, pending.Organizations, requestId)
    {
        Pending = pending;
    }

    /// <summary>The typed step (kind, token, user, organizations, email verification id, factors), when WorkOS sent a pending token.</summary>
    public PendingAuthentication? Pending { get; }

    /// <summary>The step code.</summary>
    public string Code { get; }

    /// <summary>The pending authentication token for the next grant (not included in the message).</summary>
    public string? PendingAuthenticationToken { get; }

    /// <summary>Organizations to choose from (<c>organization_selection_required</c>).</summary>
    public IReadOnlyList<Organization> Organizations { get; }
}

/// <summary>
/// A sign-in reached WorkOS but needs another step (organization selection, email verification, MFA) before a session
/// exists. Thrown by <see cref="AuthService{TRequest, TResponse}.HandleCallbackAsync"/> and the step completions, with
/// what the step needs and what the flow carried (return path, application state). The pending token is secret: keep it
/// on the server (the Blazor endpoints seal it into a short-lived cookie).
/// </summary>
public sealed class SignInStepRequiredException : AuthKitException
{
    /// <summary>Creates the exception.</summary>
    public SignInStepRequiredException(PendingAuthentication pending, string returnPathname, string? state, string? redirectUri, Exception? innerException = null)
        : base($"WorkOS requires another sign-in step: {(pending ?? throw new ArgumentNullException(nameof(pending))).Code}.", innerException)
    {
        Pending = pending;
        ReturnPathname = returnPathname;
        State = state;
        RedirectUri = redirectUri;
    }

    /// <summary>The step WorkOS asks for.</summary>
    public PendingAuthentication Pending { get; }

    /// <summary>The flow's sanitized return path.</summary>
    public string ReturnPathname { get; }

    /// <summary>The flow's application state, if any.</summary>
    public string? State { get; }

    /// <summary>The per-request redirect URI the flow used, if any.</summary>
    public string? RedirectUri { get; }
}

/// <summary>WorkOS answered 401: the API key is missing or wrong.</summary>
public sealed class WorkOSUnauthorizedException : WorkOSApiException
{
    /// <summary>Creates the exception.</summary>
    public WorkOSUnauthorizedException(string? requestId = null)
        : base("WorkOS rejected the API key (401). Check AuthKit:ApiKey / WORKOS_API_KEY.", HttpStatusCode.Unauthorized, requestId) { }
}

/// <summary>WorkOS answered 429.</summary>
public sealed class WorkOSRateLimitException : WorkOSApiException
{
    /// <summary>Creates the exception.</summary>
    public WorkOSRateLimitException(TimeSpan? retryAfter, string? requestId = null)
        : base($"WorkOS rate limit exceeded (429){(retryAfter is { } r ? $"; retry after {r.TotalSeconds:0.#} s" : "")}.", HttpStatusCode.TooManyRequests, requestId)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>The <c>Retry-After</c> delay, when sent.</summary>
    public TimeSpan? RetryAfter { get; }
}

/// <summary>Refreshing a session failed. Carries the user and session id, never tokens.</summary>
public sealed class TokenRefreshException : AuthKitException
{
    /// <summary>Creates the exception.</summary>
    public TokenRefreshException(string message, string? userId, string? sessionId, Exception? innerException = null)
        : base(message, innerException)
    {
        UserId = userId;
        SessionId = sessionId;
    }

    /// <summary>A final failure that did not come from WorkOS (the session was signed out through this app).</summary>
    internal TokenRefreshException(string message, string? userId, string? sessionId, bool isFinal)
        : base(message)
    {
        UserId = userId;
        SessionId = sessionId;
        _final = isFinal;
    }

    private readonly bool _final;

    /// <summary>The user whose session failed to refresh.</summary>
    public string? UserId { get; }

    /// <summary>The session id, when known.</summary>
    public string? SessionId { get; }

    /// <summary>True when the failure is final (the refresh token was rejected); false when a later retry may succeed.</summary>
    public bool IsFinal => _final || InnerException is WorkOSOAuthException { IsInvalidGrant: true } or WorkOSAuthenticationRequiredException;
}

/// <summary>The callback's <c>state</c> does not match the verifier cookie.</summary>
public sealed class OAuthStateMismatchException : AuthKitException
{
    /// <summary>Creates the exception.</summary>
    public OAuthStateMismatchException(string message = "The sign-in state does not match this browser's verifier cookie. Start the sign-in again.")
        : base(message) { }
}

/// <summary>The callback arrived without the verifier cookie of its flow.</summary>
public sealed class PkceCookieMissingException : AuthKitException
{
    /// <summary>Creates the exception.</summary>
    public PkceCookieMissingException(string message = "The sign-in verifier cookie is missing (expired, blocked, or the flow was started in another browser). Start the sign-in again.")
        : base(message) { }
}
