using AuthKit.Session;

namespace AuthKit.Blazor;

/// <summary>
/// What an interactive circuit calls to keep its session alive. Uses the same single-flight refresh and rotation
/// relay as the HTTP scheme handler, and the ended-session registry. Never throws for expected failures.
/// </summary>
internal interface IAuthKitSessionCoordinator
{
    /// <summary>
    /// Checks <paramref name="current"/>: signed out elsewhere -> <see cref="RevalidationOutcome.SignedOut"/>; a newer
    /// session in the relay or an access token expiring within the refresh buffer (or <paramref name="force"/>) ->
    /// refresh (relay first, then WorkOS) -> <see cref="RevalidationOutcome.Refreshed"/>; otherwise
    /// <see cref="RevalidationOutcome.Unchanged"/>. Transient WorkOS failures give
    /// <see cref="RevalidationOutcome.TransientFailure"/>.
    /// </summary>
    Task<RevalidationResult> RevalidateAsync(AuthResult current, bool force, CancellationToken cancellationToken = default);

    /// <summary>Refreshes <paramref name="current"/> into <paramref name="organizationId"/> (records the successor in the relay).</summary>
    Task<RevalidationResult> SwitchOrganizationAsync(AuthResult current, string organizationId, CancellationToken cancellationToken = default);

    /// <summary>Whether the session was signed out (on any server sharing the relay store).</summary>
    ValueTask<bool> IsSessionEndedAsync(string sessionId, CancellationToken cancellationToken = default);
}

/// <summary>Kinds of <see cref="RevalidationResult"/>.</summary>
internal enum RevalidationOutcome
{
    /// <summary>The session is fine as it is.</summary>
    Unchanged,
    /// <summary>A newer session replaces the current one (<see cref="RevalidationResult.Auth"/>); it is in the relay.</summary>
    Refreshed,
    /// <summary>The session is over; the circuit must become anonymous.</summary>
    SignedOut,
    /// <summary>WorkOS could not be reached or was overloaded; keep the session while the access token is valid and retry after <see cref="RevalidationResult.RetryAfter"/>.</summary>
    TransientFailure,
}

/// <summary>Why a session ended.</summary>
internal enum SignOutReason
{
    /// <summary>Not signed out.</summary>
    None,
    /// <summary>WorkOS rejected the refresh token (used, expired or revoked).</summary>
    RefreshRejected,
    /// <summary>The session was revoked at WorkOS or needs another authentication step.</summary>
    Revoked,
    /// <summary>The session was signed out in another tab, circuit or server.</summary>
    EndedElsewhere,
    /// <summary>The session could not be read (no session, bad seal, bad token).</summary>
    Invalid,
}

/// <summary>The result of <see cref="IAuthKitSessionCoordinator.RevalidateAsync"/>.</summary>
internal sealed class RevalidationResult
{
    private RevalidationResult(RevalidationOutcome outcome) => Outcome = outcome;

    /// <summary>What happened.</summary>
    public RevalidationOutcome Outcome { get; private init; }

    /// <summary>The session to use from now on: the new one after a refresh, the current one otherwise, anonymous after sign-out.</summary>
    public required AuthResult Auth { get; init; }

    /// <summary>The sealed successor (cookie value) after a refresh; it is already recorded in the relay.</summary>
    public string? SealedSession { get; private init; }

    /// <summary>Why the session ended (for <see cref="RevalidationOutcome.SignedOut"/>).</summary>
    public SignOutReason Reason { get; private init; }

    /// <summary>When to retry (for <see cref="RevalidationOutcome.TransientFailure"/>).</summary>
    public TimeSpan? RetryAfter { get; private init; }

    /// <summary>For <see cref="RevalidationOutcome.TransientFailure"/>: whether the current access token is still valid (keep the user signed in).</summary>
    public bool AccessTokenStillValid { get; private init; }

    /// <summary>The failure, when one occurred (its message never contains tokens).</summary>
    public Exception? Error { get; private init; }

    public static RevalidationResult Unchanged(AuthResult current) => new(RevalidationOutcome.Unchanged) { Auth = current };

    public static RevalidationResult Refreshed(AuthResult auth, string sealedSession) =>
        new(RevalidationOutcome.Refreshed) { Auth = auth, SealedSession = sealedSession };

    public static RevalidationResult SignedOut(SignOutReason reason, Exception? error = null) =>
        new(RevalidationOutcome.SignedOut) { Auth = AuthResult.Anonymous, Reason = reason, Error = error };

    public static RevalidationResult Transient(AuthResult current, TimeSpan retryAfter, bool accessTokenStillValid, Exception? error) =>
        new(RevalidationOutcome.TransientFailure) { Auth = current, RetryAfter = retryAfter, AccessTokenStillValid = accessTokenStillValid, Error = error };
}
