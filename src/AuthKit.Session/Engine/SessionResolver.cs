using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Session;

/// <summary>
/// The session engine: turns a session cookie (or a circuit's session) into one <see cref="SessionResolution"/>.
/// Pipeline: verified-session cache, ended check, rotation relay (BEFORE spending a refresh token), verify, one refresh
/// flight per (refresh token, organization) holding the store's refresh lease, seal, record the successor in the relay
/// before the lease is released, result. The only place a refresh is decided; every host (the scheme handler, the
/// endpoints, the circuit) calls it. Never throws for expected failures.
/// </summary>
internal sealed partial class SessionResolver(
    ISessionEncryption encryption,
    IAccessTokenVerifier verifier,
    AuthKitCore core,
    SessionRelay relay,
    IOptions<SessionEngineOptions> options,
    IOptions<AuthKitOptions> authKitOptions,
    TimeProvider time,
    ILogger<SessionResolver> logger)
{
    /// <summary>Longest cookie value read; longer ones are treated as garbage (browsers cap cookies near 4 KB).</summary>
    internal const int MaxCookieLength = 16 * 1024;

    private const int MaxRelayHops = 3;
    private const int SharedRelayRechecks = 5;
    private static readonly TimeSpan SharedRelayRecheckDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Task<RefreshOutcome>> _flights = new(StringComparer.Ordinal);
    private readonly VerifiedSessionCache _cache = core.Cache;

    private string Password => authKitOptions.Value.CookiePassword ?? string.Empty;

    /// <summary>Number of refresh flights in progress (for tests).</summary>
    internal int FlightsInProgress => _flights.Count;

    /// <summary>Resolves a sealed cookie value.</summary>
    public async Task<SessionResolution> ResolveCookieAsync(string? cookie, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(cookie))
        {
            return SessionResolution.NoSession;
        }

        if (cookie.Length > MaxCookieLength)
        {
            LogCookieRejected(logger, "oversized", cookie.Length);
            return SessionResolution.Invalid;
        }

        // Fast path: a cookie verified before (here or by the core), still outside the refresh buffer, not ended, not
        // rotated since. The relay and ended-registry keys are derived once per cache entry and kept with it.
        var key = VerifiedSessionCache.CookieHash.Of(cookie);
        var now = time.GetUtcNow();
        if (_cache.TryGetEntry(key, now, out var cached) && cached.Auth.AccessTokenExpiresAt is { } expiresAt && expiresAt - now > RefreshWindow.EffectiveBuffer(cached.Auth, options.Value.RefreshBuffer))
        {
            var keys = cached.Keys ?? RelayKeys.AttachTo(cached);
            if (await relay.IsEndedByKeyAsync(keys.EndedKey, cancellationToken).ConfigureAwait(false))
            {
                _cache.Remove(key);
                return SessionResolution.Ended;
            }

            if (await relay.FindNewestByKeyAsync(keys.RelayKey, cancellationToken).ConfigureAwait(false) is null)
            {
                return SessionResolution.Authenticated(cached.Auth);
            }
        }

        var session = TryUnseal(cookie);
        if (session is null)
        {
            LogCookieRejected(logger, "unreadable", cookie.Length);
            return SessionResolution.Invalid;
        }

        var resolution = await ResolveSessionAsync(session, force: false, cancellationToken).ConfigureAwait(false);
        switch (resolution.Status)
        {
            case SessionResolutionStatus.Authenticated:
                _cache.Set(key, resolution.Auth, RelayKeys.Of(resolution.Auth));
                break;
            case SessionResolutionStatus.Updated:
                _cache.Remove(key);
                _cache.Set(VerifiedSessionCache.CookieHash.Of(resolution.SealedSession!), resolution.Auth, RelayKeys.Of(resolution.Auth));
                break;
            default:
                _cache.Remove(key);
                break;
        }

        return resolution;
    }

    /// <summary>
    /// Records a session as ended (signed out) in the relay's registry and forgets its cookies in the shared verified
    /// cache, so neither this scheme nor the core's own validation serves it again.
    /// </summary>
    public async ValueTask EndSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await relay.MarkEndedAsync(sessionId, cancellationToken).ConfigureAwait(false);
        _cache.RemoveSession(sessionId);
    }

    /// <summary>
    /// Resolves an unsealed session: a newer session recorded in the relay replaces it (without spending anything);
    /// then it is refreshed when expiring within the buffer (or when <paramref name="force"/>).
    /// </summary>
    public async Task<SessionResolution> ResolveSessionAsync(Session session, bool force, CancellationToken cancellationToken = default)
    {
        var unverified = TryReadClaims(session.AccessToken);
        if (unverified is null)
        {
            LogCookieRejected(logger, "malformed access token", session.AccessToken.Length);
            return SessionResolution.Invalid;
        }

        if (await relay.IsEndedAsync(unverified.SessionId, cancellationToken).ConfigureAwait(false))
        {
            return SessionResolution.Ended;
        }

        var presented = AuthResult.FromSession(session, unverified);

        // A newer session for this browser may already exist (refreshed by a circuit or another request).
        string? pickedUp = null;
        var hit = await relay.FindNewestAsync(session.RefreshToken, cancellationToken).ConfigureAwait(false);
        if (hit is not null && TryUnseal(hit.SealedSession) is { } newer && TryReadClaims(newer.AccessToken) is { } newerClaims)
        {
            session = newer;
            unverified = newerClaims;
            pickedUp = hit.SealedSession;
            force = false;
        }

        AccessTokenValidation? check = null; // not checked yet
        if (!force && !IsExpiring(unverified))
        {
            check = await verifier.ValidateAsync(session.AccessToken, cancellationToken).ConfigureAwait(false);
            if (check.IsValid)
            {
                var auth = AuthResult.FromSession(session, check.Claims!);
                return pickedUp is null
                    ? SessionResolution.Authenticated(auth)
                    : SessionResolution.Updated(auth, presented, pickedUp, calledWorkOS: false, isOwner: false);
            }
        }

        var current = AuthResult.FromSession(session, unverified);
        var outcome = await RefreshAsync(session, organizationId: null, cancellationToken).ConfigureAwait(false);
        var resolution = await ToResolutionAsync(current, unverified, check, outcome, cancellationToken).ConfigureAwait(false);
        if (pickedUp is not null && resolution.Status == SessionResolutionStatus.Unavailable && resolution.AccessTokenStillValid)
        {
            // The relay's session is still usable: store it even though its refresh failed for now.
            return SessionResolution.Updated(current, presented, pickedUp, calledWorkOS: false, isOwner: false);
        }

        return resolution;
    }

    /// <summary>Refreshes <paramref name="session"/> into <paramref name="organizationId"/> (relay first, then WorkOS).</summary>
    public async Task<SessionResolution> SwitchOrganizationAsync(Session session, string organizationId, CancellationToken cancellationToken = default)
    {
        var unverified = TryReadClaims(session.AccessToken);
        if (unverified is null)
        {
            return SessionResolution.Invalid;
        }

        if (await relay.IsEndedAsync(unverified.SessionId, cancellationToken).ConfigureAwait(false))
        {
            return SessionResolution.Ended;
        }

        var current = AuthResult.FromSession(session, unverified);
        var outcome = await RefreshAsync(session, organizationId, cancellationToken).ConfigureAwait(false);
        var resolution = await ToResolutionAsync(current, unverified, null, outcome, cancellationToken).ConfigureAwait(false);
        return resolution;
    }

    private async Task<SessionResolution> ToResolutionAsync(AuthResult current, AccessTokenClaims unverified, AccessTokenValidation? check, RefreshOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Session is { } next)
        {
            var nextCheck = await verifier.ValidateAsync(next.AccessToken, cancellationToken).ConfigureAwait(false);
            AccessTokenClaims? claims = nextCheck.Claims;
            if (nextCheck.Failure == AccessTokenFailure.KeysUnavailable)
            {
                // Fresh from WorkOS (or sealed by us): keys just could not be fetched; trust the sealed copy's claims.
                claims = TryReadClaims(next.AccessToken);
            }

            if (claims is null)
            {
                LogSuccessorRejected(logger);
                return SessionResolution.Invalid;
            }

            return SessionResolution.Updated(AuthResult.FromSession(next, claims), current, outcome.SealedSession!, outcome.CalledWorkOS, outcome.IsOwner);
        }

        var error = outcome.Error!;
        if (outcome.IsFinal)
        {
            return SessionResolution.Rejected(current, error, outcome.IsOwner);
        }

        // Transient: keep the session while the access token is still valid and was not proven bad.
        var stillValid = !IsExpired(unverified) && !IsProvenBad(check);
        if (stillValid && check is not { IsValid: true })
        {
            var recheck = await verifier.ValidateAsync(current.AccessToken!, cancellationToken).ConfigureAwait(false);
            stillValid = !IsProvenBad(recheck);
        }

        return SessionResolution.Unavailable(current, error, outcome.RetryAfter ?? DefaultRetryAfter, stillValid, outcome.IsOwner);
    }

    /// <summary>Checked and rejected (bad signature, expired, malformed); "keys unavailable" proves nothing.</summary>
    private static bool IsProvenBad(AccessTokenValidation? check) =>
        check is { IsValid: false } && check.Failure != AccessTokenFailure.KeysUnavailable;

    private async Task<RefreshOutcome> RefreshAsync(Session session, string? organizationId, CancellationToken cancellationToken, int depth = 0)
    {
        var key = SessionRelay.KeyForRefreshToken(session.RefreshToken) + "|" + organizationId;
        var mine = new TaskCompletionSource<RefreshOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var flight = _flights.GetOrAdd(key, mine.Task);
        if (flight != mine.Task)
        {
            var joined = await flight.WaitAsync(cancellationToken).ConfigureAwait(false);
            return joined with { IsOwner = false };
        }

        try
        {
            // The flight runs to completion even if this caller goes away: other callers wait on it.
            var outcome = await RunFlightAsync(session, organizationId, depth).ConfigureAwait(false);
            mine.SetResult(outcome);
        }
        catch (Exception ex)
        {
            mine.SetResult(RefreshOutcome.Failed(ex, isFinal: false, retryAfter: null));
        }
        finally
        {
            _flights.TryRemove(new KeyValuePair<string, Task<RefreshOutcome>>(key, mine.Task));
        }

        return await mine.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<RefreshOutcome> RunFlightAsync(Session session, string? organizationId, int depth)
    {
        var fromRelay = await TryRelayAsync(session, organizationId, depth).ConfigureAwait(false);
        if (fromRelay is not null)
        {
            return fromRelay;
        }

        // The store's refresh lease: with a shared store, only one server spends this refresh token; the others wait for
        // its successor (pushed by the store, or found by polling the relay) for at most the lease's lifetime.
        var leaseKey = SessionRelay.LeaseKeyFor(session.RefreshToken, organizationId);
        var lease = await relay.Store.TryAcquireRefreshLeaseAsync(leaseKey, options.Value.RefreshLeaseDuration).ConfigureAwait(false);
        if (lease is null)
        {
            var successor = await WaitForSuccessorAsync(session, organizationId, depth).ConfigureAwait(false);
            if (successor is not null)
            {
                return successor;
            }

            lease = await relay.Store.TryAcquireRefreshLeaseAsync(leaseKey, options.Value.RefreshLeaseDuration).ConfigureAwait(false);
            LogLeaseWaitExpired(logger, lease is not null);
        }

        using var renewal = new CancellationTokenSource();
        var renewing = lease is null ? Task.CompletedTask : RenewWhileRunningAsync(lease, renewal.Token);
        try
        {
            return await RefreshAtWorkOSAsync(session, organizationId, depth).ConfigureAwait(false);
        }
        finally
        {
            await renewal.CancelAsync().ConfigureAwait(false);
            await renewing.ConfigureAwait(false);
            if (lease is not null)
            {
                await relay.Store.ReleaseRefreshLeaseAsync(lease).ConfigureAwait(false);
            }
        }
    }

    /// <summary>WorkOS (through the core's 429 retry), then seal, then record the successor: all before the lease is released.</summary>
    private async Task<RefreshOutcome> RefreshAtWorkOSAsync(Session session, string? organizationId, int depth)
    {
        Session next;
        try
        {
            // Organization: explicit, else the current token's org_id (as the npm package).
            var organization = organizationId ?? TryReadClaims(session.AccessToken)?.OrganizationId;
            next = (await core.RefreshAsync(session, organization, CancellationToken.None).ConfigureAwait(false)).Session;
        }
        catch (Exception ex)
        {
            var isFinal = ex is TokenRefreshException { IsFinal: true };
            if (isFinal)
            {
                // Someone (another server, a flight that just ended) may have rotated this token meanwhile. With a shared
                // store another server may still be writing its successor: look again a few times before giving up.
                var attempts = relay.IsShared ? SharedRelayRechecks : 1;
                for (var attempt = 0; attempt < attempts; attempt++)
                {
                    if (attempt > 0)
                    {
                        await Task.Delay(SharedRelayRecheckDelay, time).ConfigureAwait(false);
                    }

                    var late = await TryRelayAsync(session, organizationId, depth).ConfigureAwait(false);
                    if (late is not null)
                    {
                        return late;
                    }
                }
            }

            LogRefreshFailed(logger, isFinal, ex.GetType().Name);
            return RefreshOutcome.Failed(ex, isFinal, RetryAfterOf(ex));
        }

        var sealedNext = Seal(next);
        await relay.RecordRotationAsync(session.RefreshToken, next.RefreshToken, sealedNext).ConfigureAwait(false);
        LogRefreshed(logger, organizationId is not null);
        return RefreshOutcome.Succeeded(next, sealedNext, calledWorkOS: true);
    }

    /// <summary>Another holder has the lease: wait for its successor (notified by the store, else polled) up to the lease's lifetime.</summary>
    private async Task<RefreshOutcome?> WaitForSuccessorAsync(Session session, string? organizationId, int depth)
    {
        var relayKey = SessionRelay.KeyForRefreshToken(session.RefreshToken);
        var rotated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = relay.Store.Subscribe(n =>
        {
            if (n.Kind == SessionStoreNotificationKind.Rotated && string.Equals(n.Key, relayKey, StringComparison.Ordinal))
            {
                rotated.TrySetResult();
            }
        });

        var deadline = time.GetUtcNow() + options.Value.RefreshLeaseDuration;
        while (true)
        {
            if (await TryRelayAsync(session, organizationId, depth).ConfigureAwait(false) is { } found)
            {
                return found;
            }

            var remaining = deadline - time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                return null;
            }

            var poll = remaining < SharedRelayRecheckDelay ? remaining : SharedRelayRecheckDelay;
            await Task.WhenAny(rotated.Task, Task.Delay(poll, time)).ConfigureAwait(false);
        }
    }

    private async Task RenewWhileRunningAsync(SessionRefreshLease lease, CancellationToken cancellationToken)
    {
        var duration = options.Value.RefreshLeaseDuration;
        try
        {
            while (true)
            {
                await Task.Delay(duration / 3, time, cancellationToken).ConfigureAwait(false);
                if (!await relay.Store.RenewRefreshLeaseAsync(lease, duration, cancellationToken).ConfigureAwait(false))
                {
                    LogLeaseLost(logger);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The refresh finished.
        }
    }

    private async Task<RefreshOutcome?> TryRelayAsync(Session session, string? organizationId, int depth)
    {
        var hit = await relay.FindNewestAsync(session.RefreshToken).ConfigureAwait(false);
        if (hit is null)
        {
            return null;
        }

        var next = TryUnseal(hit.SealedSession);
        var claims = next is null ? null : TryReadClaims(next.AccessToken);
        if (next is null || claims is null)
        {
            LogSuccessorRejected(logger);
            return null;
        }

        var inOrganization = organizationId is null || string.Equals(claims.OrganizationId, organizationId, StringComparison.Ordinal);
        if (inOrganization && !IsExpiring(claims))
        {
            return RefreshOutcome.Succeeded(next, hit.SealedSession, calledWorkOS: false);
        }

        if (depth >= MaxRelayHops)
        {
            return RefreshOutcome.Failed(new TokenRefreshException("The session rotated too many times at once; try again.", next.User.Id, claims.SessionId), isFinal: false, retryAfter: TimeSpan.FromSeconds(1));
        }

        // The newest session must itself be refreshed (or moved to the organization): continue from it, in its own flight.
        return await RefreshAsync(next, organizationId, CancellationToken.None, depth + 1).ConfigureAwait(false);
    }

    // Inside the refresh window: the configured buffer, at most half the token's lifetime (as in the circuit), so a
    // buffer longer than the token does not refresh on every request.
    private bool IsExpiring(AccessTokenClaims claims) =>
        claims.ExpiresAt is not { } exp || exp - time.GetUtcNow() <= RefreshWindow.EffectiveBuffer(claims, options.Value.RefreshBuffer);

    private bool IsExpired(AccessTokenClaims claims) =>
        claims.ExpiresAt is not { } exp || exp <= time.GetUtcNow();

    private static TimeSpan? RetryAfterOf(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is WorkOSRateLimitException { RetryAfter: { } retryAfter })
            {
                return retryAfter;
            }
        }

        return null;
    }

    private Session? TryUnseal(string sealedSession)
    {
        try
        {
            return encryption.UnsealSession(sealedSession, Password);
        }
        catch (Exception ex) when (ex is AuthKitException or FormatException or ArgumentException or System.Text.Json.JsonException or System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    /// <summary>Unseals a cookie value without resolving it (sign-out reads the session id of a cookie the scheme could not use).</summary>
    internal Session? TryUnsealCookie(string cookie) => cookie.Length is > 0 and <= MaxCookieLength ? TryUnseal(cookie) : null;

    private string Seal(Session session) => encryption.SealSession(session, Password);

    internal static AccessTokenClaims? TryReadClaims(string accessToken) =>
        AccessTokens.TryParseUnverified(accessToken, out var claims) ? claims : null;

    [LoggerMessage(EventId = 5105, Level = LogLevel.Debug, Message = "AuthKit refresh lease held elsewhere and no successor arrived within the lease (took it over: {TookOver}).")]
    private static partial void LogLeaseWaitExpired(ILogger logger, bool tookOver);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Warning, Message = "AuthKit refresh lease lapsed during a slow WorkOS call; another server may refresh too.")]
    private static partial void LogLeaseLost(ILogger logger);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "AuthKit session cookie rejected ({Reason}, {Length} chars); treating the request as anonymous.")]
    private static partial void LogCookieRejected(ILogger logger, string reason, int length);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "A rotated AuthKit session could not be read back; ignoring it.")]
    private static partial void LogSuccessorRejected(ILogger logger);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "AuthKit session refresh failed (final: {IsFinal}, {ErrorType}).")]
    private static partial void LogRefreshFailed(ILogger logger, bool isFinal, string errorType);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Debug, Message = "AuthKit session refreshed at WorkOS (organization switch: {Switch}).")]
    private static partial void LogRefreshed(ILogger logger, bool @switch);
}

/// <summary>A cached session's relay and ended-registry keys, attached to its <see cref="VerifiedSessionCache"/> entry.</summary>
internal sealed record RelayKeys(string RelayKey, string EndedKey)
{
    /// <summary>The keys of a signed-in session; null when anonymous (the cache only holds signed-in sessions).</summary>
    public static RelayKeys? Of(AuthResult auth) => auth.IsAuthenticated
        ? new(SessionRelay.KeyForRefreshToken(auth.RefreshToken), SessionRelay.KeyForSessionId(auth.SessionId))
        : null;

    /// <summary>Computes the keys of an entry stored without them (e.g. by the core) and attaches them for next time.</summary>
    public static RelayKeys AttachTo(VerifiedSessionCache.Entry entry)
    {
        var keys = Of(entry.Auth) ?? throw new InvalidOperationException("The verified-session cache holds only signed-in sessions.");
        entry.Keys = keys;
        return keys;
    }
}

/// <summary>The result of one refresh flight, shared by every caller that joined it.</summary>
internal sealed record RefreshOutcome(Session? Session, string? SealedSession, bool CalledWorkOS, Exception? Error, bool IsFinal, TimeSpan? RetryAfter)
{
    /// <summary>True for the caller that ran the flight (it raises the events), false for callers that joined.</summary>
    public bool IsOwner { get; init; } = true;

    public static RefreshOutcome Succeeded(Session session, string sealedSession, bool calledWorkOS) => new(session, sealedSession, calledWorkOS, null, false, null);

    public static RefreshOutcome Failed(Exception error, bool isFinal, TimeSpan? retryAfter) => new(null, null, false, error, isFinal, retryAfter);
}

/// <summary>Kinds of <see cref="SessionResolution"/>.</summary>
internal enum SessionResolutionStatus
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
    /// <summary>A refresh was needed and WorkOS failed transiently; see <see cref="SessionResolution.AccessTokenStillValid"/>.</summary>
    Unavailable,
}

/// <summary>What <see cref="SessionResolver"/> concluded about a session.</summary>
internal sealed class SessionResolution
{
    public static readonly SessionResolution NoSession = new() { Status = SessionResolutionStatus.NoSession, Auth = AuthResult.Anonymous };
    public static readonly SessionResolution Invalid = new() { Status = SessionResolutionStatus.Invalid, Auth = AuthResult.Anonymous };
    public static readonly SessionResolution Ended = new() { Status = SessionResolutionStatus.Ended, Auth = AuthResult.Anonymous };

    public required SessionResolutionStatus Status { get; init; }

    /// <summary>The session to use for this request (anonymous unless signed in).</summary>
    public required AuthResult Auth { get; init; }

    /// <summary>The session before a refresh or failure.</summary>
    public AuthResult? Previous { get; init; }

    /// <summary>The cookie value to write (<see cref="SessionResolutionStatus.Updated"/>).</summary>
    public string? SealedSession { get; init; }

    /// <summary>Whether WorkOS was called (false for a relay pickup).</summary>
    public bool CalledWorkOS { get; init; }

    /// <summary>Whether this caller ran the refresh (and so raises the refresh events).</summary>
    public bool IsOwner { get; init; }

    public Exception? Error { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    /// <summary>For <see cref="SessionResolutionStatus.Unavailable"/>: the current access token is still valid, so the user stays signed in.</summary>
    public bool AccessTokenStillValid { get; init; }

    /// <summary>Whether the cookie should be cleared.</summary>
    public bool ClearCookie => Status is SessionResolutionStatus.Invalid or SessionResolutionStatus.Ended or SessionResolutionStatus.Rejected;

    /// <summary>Whether the user is signed in for this request.</summary>
    public bool IsSignedIn => Auth.IsAuthenticated;

    public static SessionResolution Authenticated(AuthResult auth) => new() { Status = SessionResolutionStatus.Authenticated, Auth = auth };

    public static SessionResolution Updated(AuthResult auth, AuthResult previous, string sealedSession, bool calledWorkOS, bool isOwner) =>
        new() { Status = SessionResolutionStatus.Updated, Auth = auth, Previous = previous, SealedSession = sealedSession, CalledWorkOS = calledWorkOS, IsOwner = isOwner };

    public static SessionResolution Rejected(AuthResult previous, Exception error, bool isOwner) =>
        new() { Status = SessionResolutionStatus.Rejected, Auth = AuthResult.Anonymous, Previous = previous, Error = error, IsOwner = isOwner };

    public static SessionResolution Unavailable(AuthResult previous, Exception error, TimeSpan retryAfter, bool stillValid, bool isOwner) =>
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
