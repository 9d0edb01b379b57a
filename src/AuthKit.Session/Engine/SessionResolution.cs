namespace AuthKit.Session;

/// <summary>Kinds of <see cref="SessionResolution"/>.</summary>
public enum SessionResolutionStatus
{
    /// <summary>No cookie.</summary>
    NoSession,
    /// <summary>Unreadable, oversized, tampered, or a rotated successor that did not check out: clear the cookie.</summary>
    Invalid,
    /// <summary>Signed out elsewhere: clear the cookie.</summary>
    Ended,
    /// <summary>WorkOS rejected the refresh: clear the cookie.</summary>
    Rejected,
    /// <summary>Signed in with the session as it was.</summary>
    Authenticated,
    /// <summary>Signed in with a newer session (refreshed or picked up from the relay): write <see cref="SessionResolution.SealedSession"/>.</summary>
    Updated,
    /// <summary>
    /// A refresh was needed and did not succeed, but the session is not over: WorkOS failed transiently, or it rejected the
    /// refresh token while the access token is still valid (another server used it first). See
    /// <see cref="SessionResolution.AccessTokenStillValid"/> (signed in when true), <see cref="SessionResolution.IsFinal"/>
    /// and <see cref="SessionResolution.RetryAfter"/>. The cookie is kept.
    /// </summary>
    Unavailable,
}

/// <summary>
/// What <see cref="SessionResolver"/> concluded about a session: the one result type of the engine, for HTTP requests
/// and circuits alike.
/// </summary>
public sealed class SessionResolution
{
    private SessionResolution()
    {
    }

    internal static readonly SessionResolution NoSession = new() { Status = SessionResolutionStatus.NoSession, Auth = AuthResult.Anonymous };
    internal static readonly SessionResolution Invalid = new() { Status = SessionResolutionStatus.Invalid, Auth = AuthResult.Anonymous };
    internal static readonly SessionResolution Ended = new() { Status = SessionResolutionStatus.Ended, Auth = AuthResult.Anonymous };

    /// <summary>What the engine concluded.</summary>
    public SessionResolutionStatus Status { get; private init; }

    /// <summary>The session to use for this request (anonymous unless signed in).</summary>
    public AuthResult Auth { get; private init; } = AuthResult.Anonymous;

    /// <summary>The session before a refresh or failure.</summary>
    public AuthResult? Previous { get; private init; }

    /// <summary>The cookie value to write (<see cref="SessionResolutionStatus.Updated"/>).</summary>
    public string? SealedSession { get; private init; }

    /// <summary>Whether WorkOS was called (false for a relay pickup).</summary>
    public bool CalledWorkOS { get; private init; }

    /// <summary>Whether this caller ran the refresh (and so raises the refresh events).</summary>
    public bool IsOwner { get; private init; }

    /// <summary>Why a refresh failed (<see cref="SessionResolutionStatus.Rejected"/>, <see cref="SessionResolutionStatus.Unavailable"/>); usually a <see cref="TokenRefreshException"/>.</summary>
    public Exception? Error { get; private init; }

    /// <summary>
    /// Whether WorkOS rejected the refresh token for good (<see cref="SessionResolutionStatus.Rejected"/>, or
    /// <see cref="SessionResolutionStatus.Unavailable"/> while the access token is still valid: no refresh will succeed,
    /// the session lasts until the access token expires).
    /// </summary>
    public bool IsFinal { get; private init; }

    /// <summary>For <see cref="SessionResolutionStatus.Unavailable"/>: when to try again (WorkOS's Retry-After, else 10 s; after a final rejection, at most until the access token expires).</summary>
    public TimeSpan? RetryAfter { get; private init; }

    /// <summary>For <see cref="SessionResolutionStatus.Unavailable"/>: the current access token is still valid, so the user stays signed in.</summary>
    public bool AccessTokenStillValid { get; private init; }

    /// <summary>Whether the cookie should be cleared.</summary>
    public bool ClearCookie => Status is SessionResolutionStatus.Invalid or SessionResolutionStatus.Ended or SessionResolutionStatus.Rejected;

    /// <summary>Whether the user is signed in for this request.</summary>
    public bool IsSignedIn => Auth.IsAuthenticated;

    /// <summary>This resolution as seen by a caller that joined it (not the one that ran it, so it raises no events).</summary>
    internal SessionResolution AsJoined() => IsOwner ? new()
    {
        Status = Status,
        Auth = Auth,
        Previous = Previous,
        SealedSession = SealedSession,
        CalledWorkOS = CalledWorkOS,
        IsOwner = false,
        Error = Error,
        RetryAfter = RetryAfter,
        AccessTokenStillValid = AccessTokenStillValid,
        IsFinal = IsFinal,
    } : this;

    internal static SessionResolution Authenticated(AuthResult auth) => new() { Status = SessionResolutionStatus.Authenticated, Auth = auth };

    internal static SessionResolution Updated(AuthResult auth, AuthResult previous, string sealedSession, bool calledWorkOS, bool isOwner) =>
        new() { Status = SessionResolutionStatus.Updated, Auth = auth, Previous = previous, SealedSession = sealedSession, CalledWorkOS = calledWorkOS, IsOwner = isOwner };

    internal static SessionResolution Rejected(AuthResult previous, Exception error, bool isOwner) =>
        new() { Status = SessionResolutionStatus.Rejected, Auth = AuthResult.Anonymous, Previous = previous, Error = error, IsFinal = true, IsOwner = isOwner };

    internal static SessionResolution RejectedWhileValid(AuthResult previous, Exception error, TimeSpan retryAfter, bool isOwner) =>
        new()
        {
            Status = SessionResolutionStatus.Unavailable,
            Auth = previous,
            Previous = previous,
            Error = error,
            RetryAfter = retryAfter,
            AccessTokenStillValid = true,
            IsFinal = true,
            IsOwner = isOwner,
        };

    internal static SessionResolution Unavailable(AuthResult previous, Exception error, TimeSpan retryAfter, bool stillValid, bool isOwner) =>
        new()
        {
            Status = SessionResolutionStatus.Unavailable,
            Auth = stillValid ? previous : AuthResult.Anonymous,
            Previous = previous,
            Error = error,
            RetryAfter = retryAfter,
            AccessTokenStillValid = stillValid,
            IsOwner = isOwner,
        };
}
