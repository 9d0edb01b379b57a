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
public sealed partial class SessionResolver
{
    private readonly ISessionEncryption encryption;
    private readonly IAccessTokenVerifier verifier;
    private readonly AuthKitCore core;
    private readonly SessionRelay relay;
    private readonly IOptions<SessionEngineOptions> options;
    private readonly IOptions<AuthKitOptions> authKitOptions;
    private readonly TimeProvider time;
    private readonly ILogger<SessionResolver> logger;
    private readonly VerifiedSessionCache _cache;
    // Resolutions running now, keyed by the cookie value itself (see ResolveCookieAsync); entries live only while they run.
    private readonly ConcurrentDictionary<string, Task<SessionResolution>> _resolutions = new(InFlightCookieComparer.Instance);
    private int _resolutionsInFlight;

    /// <summary>
    /// The engine over <paramref name="core"/> without dependency injection (its store is the core's own, in memory;
    /// refresh window and relay settings are <see cref="SessionEngineOptions"/>' defaults). With DI, resolve the one
    /// <c>AddAuthKitSession()</c> / <c>AddAuthKit()</c> registers instead.
    /// </summary>
    /// <param name="core">The core whose cache, refresh flight, sealing and verification the engine uses.</param>
    /// <param name="logger">Logger. Default none.</param>
    public SessionResolver(AuthKitCore core, ILogger<SessionResolver>? logger = null)
        : this(
            (core ?? throw new ArgumentNullException(nameof(core))).Encryption, core.Verifier, core, core.Flight.Relay, core.Flight.EngineOptions,
            core.Options, core.TimeProvider, logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger<SessionResolver>.Instance)
    {
    }

    /// <summary>The engine's resolver; resolve it from DI (<c>AddAuthKitSession()</c> or <c>AddAuthKit()</c> registers it).</summary>
    internal SessionResolver(
        ISessionEncryption encryption,
        IAccessTokenVerifier verifier,
        AuthKitCore core,
        SessionRelay relay,
        IOptions<SessionEngineOptions> options,
        IOptions<AuthKitOptions> authKitOptions,
        TimeProvider time,
        ILogger<SessionResolver> logger)
    {
        this.encryption = encryption;
        this.verifier = verifier;
        this.core = core;
        this.relay = relay;
        this.options = options;
        this.authKitOptions = authKitOptions;
        this.time = time;
        this.logger = logger;
        _cache = core.Cache;
    }

    /// <summary>Longest cookie value read; longer ones are treated as garbage (browsers cap cookies near 4 KB).</summary>
    internal const int MaxCookieLength = 16 * 1024;

    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(10);

    private string Password => authKitOptions.Value.CookiePassword ?? string.Empty;

    /// <summary>Cookie resolutions running now (for tests).</summary>
    internal int PendingResolutionCount => _resolutions.Count;

    /// <summary>The core this engine runs on.</summary>
    internal AuthKitCore Core => core;

    /// <summary>
    /// Resolves a sealed session cookie value: <see cref="SessionResolutionStatus.NoSession"/> for none, else what the
    /// pipeline concluded. Write <see cref="SessionResolution.SealedSession"/> when it is set, clear the cookie when
    /// <see cref="SessionResolution.ClearCookie"/>. Never throws for expected failures. A cookie verified before and still
    /// fresh completes synchronously and allocates nothing (the in-memory store answers in place).
    /// </summary>
    /// <param name="sealedSession">The session cookie's value (the sealed session) as the browser sent it.</param>
    /// <param name="cancellationToken">Stops waiting (a resolution or refresh already started still completes for others).</param>
    public ValueTask<SessionResolution> ResolveCookieAsync(string? sealedSession, CancellationToken cancellationToken = default) =>
        ResolveCookieAsync(sealedSession, options.Value.RefreshBuffer, cancellationToken);

    /// <summary>
    /// As <see cref="ResolveCookieAsync(string?, CancellationToken)"/> with an explicit refresh window:
    /// <see cref="TimeSpan.Zero"/> refreshes only an expired (or unverifiable) access token, as the npm package's
    /// <c>withAuth</c> does.
    /// </summary>
    internal ValueTask<SessionResolution> ResolveCookieAsync(string? sealedSession, TimeSpan refreshBuffer, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sealedSession))
        {
            return new(SessionResolution.NoSession);
        }

        if (sealedSession.Length > MaxCookieLength)
        {
            LogCookieRejected(logger, "oversized", sealedSession.Length);
            return new(SessionResolution.Invalid);
        }

        // A request carrying the same cookie as one being resolved (a refresh storm) joins it: one unseal, one
        // verification, at most one refresh and one seal for all of them. Matched before the cookie is hashed, and the
        // counter keeps this look-up off the warm path.
        if (Volatile.Read(ref _resolutionsInFlight) != 0 && _resolutions.TryGetValue(sealedSession, out var running))
        {
            LogJoined(logger);
            return Join(running, cancellationToken);
        }

        // Fast path: a cookie verified before (here, by AuthService, or on another host of this engine), still outside
        // the refresh window, not ended, not rotated since. The store keys are derived once per cache entry.
        var key = VerifiedSessionCache.CookieHash.Of(sealedSession);
        if (_cache.TryGetEntry(key, time.GetUtcNow(), out var cached) && IsFresh(cached.Auth, refreshBuffer))
        {
            var keys = cached.Keys ?? RelayKeys.AttachTo(cached);
            var ended = relay.IsEndedByKeyAsync(keys.EndedKey, cancellationToken);
            if (!ended.IsCompletedSuccessfully)
            {
                return CachedSlowAsync(ended, sealedSession, key, cached, refreshBuffer, cancellationToken);
            }

            if (ended.Result)
            {
                _cache.Remove(key);
                return new(SessionResolution.Ended);
            }

            var newest = relay.FindNewestByKeyAsync(keys.RelayKey, cancellationToken);
            if (!newest.IsCompletedSuccessfully)
            {
                return RotatedSlowAsync(newest, sealedSession, key, cached, refreshBuffer, cancellationToken);
            }

            if (newest.Result is null)
            {
                return new(cached.Resolution);
            }
        }

        return JoinOrStartAndWait(sealedSession, key, refreshBuffer, cancellationToken);
    }

    private ValueTask<SessionResolution> JoinOrStartAndWait(string sealedSession, VerifiedSessionCache.CookieHash key, TimeSpan refreshBuffer, CancellationToken cancellationToken)
    {
        var resolution = JoinOrStart(sealedSession, key, refreshBuffer, out var started);
        return Join(resolution, cancellationToken, owner: started);
    }

    private async ValueTask<SessionResolution> CachedSlowAsync(ValueTask<bool> ended, string sealedSession, VerifiedSessionCache.CookieHash key, VerifiedSessionCache.Entry cached, TimeSpan refreshBuffer, CancellationToken cancellationToken)
    {
        if (await ended.ConfigureAwait(false))
        {
            _cache.Remove(key);
            return SessionResolution.Ended;
        }

        return await RotatedSlowAsync(relay.FindNewestByKeyAsync(cached.Keys!.RelayKey, cancellationToken), sealedSession, key, cached, refreshBuffer, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<SessionResolution> RotatedSlowAsync(ValueTask<RelayHit?> newest, string sealedSession, VerifiedSessionCache.CookieHash key, VerifiedSessionCache.Entry cached, TimeSpan refreshBuffer, CancellationToken cancellationToken) =>
        await newest.ConfigureAwait(false) is null
            ? cached.Resolution
            : await JoinOrStartAndWait(sealedSession, key, refreshBuffer, cancellationToken).ConfigureAwait(false);

    private bool IsFresh(AuthResult auth, TimeSpan refreshBuffer) =>
        auth.AccessTokenExpiresAt is { } expiresAt && expiresAt - time.GetUtcNow() > RefreshWindow.EffectiveBuffer(auth, refreshBuffer);

    /// <summary>The running resolution of this cookie value, or a new one (shared: it runs to completion for every caller).</summary>
    private Task<SessionResolution> JoinOrStart(string sealedSession, VerifiedSessionCache.CookieHash key, TimeSpan refreshBuffer, out bool started)
    {
        started = false;
        while (true)
        {
            if (_resolutions.TryGetValue(sealedSession, out var running))
            {
                LogJoined(logger);
                return running;
            }

            var source = new TaskCompletionSource<SessionResolution>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_resolutions.TryAdd(sealedSession, source.Task))
            {
                Interlocked.Increment(ref _resolutionsInFlight);
                started = true;
                _ = RunResolutionAsync(sealedSession, key, refreshBuffer, source);
                return source.Task;
            }
        }
    }

    private async Task RunResolutionAsync(string sealedSession, VerifiedSessionCache.CookieHash key, TimeSpan refreshBuffer, TaskCompletionSource<SessionResolution> source)
    {
        try
        {
            var resolution = await ResolveUncachedAsync(sealedSession, key, refreshBuffer).ConfigureAwait(false);
            Forget(sealedSession, source.Task); // before completing, so a caller that retries never rejoins a finished one
            source.TrySetResult(resolution);
        }
        catch (Exception ex)
        {
            Forget(sealedSession, source.Task);
            source.TrySetException(ex);
        }
    }

    private void Forget(string sealedSession, Task<SessionResolution> resolution)
    {
        if (_resolutions.TryRemove(KeyValuePair.Create(sealedSession, resolution)))
        {
            Interlocked.Decrement(ref _resolutionsInFlight);
        }
    }

    /// <summary>
    /// Waits for a shared resolution. The caller that started it gets it as is (it raises the events); callers that joined
    /// get it marked as joined.
    /// </summary>
    private static ValueTask<SessionResolution> Join(Task<SessionResolution> resolution, CancellationToken cancellationToken, bool owner = false)
    {
        if (resolution.IsCompletedSuccessfully)
        {
            return new(owner ? resolution.Result : resolution.Result.AsJoined());
        }

        return AwaitAsync(resolution, cancellationToken, owner);

        static async ValueTask<SessionResolution> AwaitAsync(Task<SessionResolution> resolution, CancellationToken cancellationToken, bool owner)
        {
            var result = await resolution.WaitAsync(cancellationToken).ConfigureAwait(false);
            return owner ? result : result.AsJoined();
        }
    }

    private async Task<SessionResolution> ResolveUncachedAsync(string sealedSession, VerifiedSessionCache.CookieHash key, TimeSpan refreshBuffer)
    {
        // Runs inline up to its first real wait (an unreadable cookie leaves the in-flight map at once); never under a
        // caller's cancellation, since others may join it.
        var session = TryUnseal(sealedSession);
        if (session is null)
        {
            LogCookieRejected(logger, "unreadable", sealedSession.Length);
            _cache.Remove(key);
            return SessionResolution.Invalid;
        }

        var resolution = await ResolveSessionAsync(session, force: false, refreshBuffer, CancellationToken.None).ConfigureAwait(false);
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
    public ValueTask EndSessionAsync(string sessionId, CancellationToken cancellationToken = default) =>
        core.EndSessionAsync(sessionId, cancellationToken);

    /// <summary>
    /// Resolves an unsealed session: a newer session recorded in the relay replaces it (without spending anything);
    /// then it is refreshed when expiring within the buffer (or when <paramref name="force"/>).
    /// </summary>
    public Task<SessionResolution> ResolveSessionAsync(Session session, bool force, CancellationToken cancellationToken = default) =>
        ResolveSessionAsync(session, force, options.Value.RefreshBuffer, cancellationToken);

    /// <summary>As <see cref="ResolveSessionAsync(Session, bool, CancellationToken)"/> with an explicit refresh window (zero: only when expired).</summary>
    internal async Task<SessionResolution> ResolveSessionAsync(Session session, bool force, TimeSpan refreshBuffer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
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
        if (!force && !RefreshWindow.IsDue(unverified, time.GetUtcNow(), refreshBuffer))
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
        // The relay was read just above for this refresh token (unless a successor was picked up from it): the flight
        // need not read it again before taking the lease.
        var outcome = await RefreshAsync(session, organizationId: null, relayChecked: pickedUp is null, cancellationToken).ConfigureAwait(false);
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
        var outcome = await RefreshAsync(session, organizationId, relayChecked: false, cancellationToken).ConfigureAwait(false);
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

        // Keep the session while the access token is still valid and was not proven bad: after a transient failure, and
        // after a rejected refresh token too. WorkOS answers invalid_grant both for a revoked session and for a refresh
        // token another server already used (a race the in-memory store cannot see), and the access token it issued is
        // valid until it expires either way; a sign-out through this app is caught by the ended check, not here. The
        // cookie is neither cleared nor rewritten (no successor is known); once the token expires, the rejection stands.
        var stillValid = !IsExpired(unverified) && !IsProvenBad(check);
        if (stillValid && check is not { IsValid: true })
        {
            var recheck = await verifier.ValidateAsync(current.AccessToken!, cancellationToken).ConfigureAwait(false);
            stillValid = recheck.IsValid || (!outcome.IsFinal && !IsProvenBad(recheck));
        }

        if (outcome.IsFinal)
        {
            return stillValid
                ? SessionResolution.RejectedWhileValid(current, error, RetryWithin(unverified), outcome.IsOwner)
                : SessionResolution.Rejected(current, error, outcome.IsOwner);
        }

        return SessionResolution.Unavailable(current, error, outcome.RetryAfter ?? DefaultRetryAfter, stillValid, outcome.IsOwner);
    }

    /// <summary>When to look again at a session whose refresh token was rejected: the default, at most until its access token expires.</summary>
    private TimeSpan RetryWithin(AccessTokenClaims claims)
    {
        var remaining = claims.ExpiresAt is { } exp ? exp - time.GetUtcNow() : TimeSpan.Zero;
        return remaining < DefaultRetryAfter ? (remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero) : DefaultRetryAfter;
    }

    /// <summary>Checked and rejected (bad signature, expired, malformed); "keys unavailable" proves nothing.</summary>
    private static bool IsProvenBad(AccessTokenValidation? check) =>
        check is { IsValid: false } && check.Failure != AccessTokenFailure.KeysUnavailable;

    /// <summary>The one refresh flight (shared with the core's npm-style API): relay, lease, WorkOS, seal, record.</summary>
    private Task<RefreshOutcome> RefreshAsync(Session session, string? organizationId, bool relayChecked, CancellationToken cancellationToken) =>
        core.Flight.RunAsync(session, organizationId, cancellationToken, relayChecked);

    private bool IsExpired(AccessTokenClaims claims) =>
        claims.ExpiresAt is not { } exp || exp <= time.GetUtcNow();

    private Session? TryUnseal(string sealedSession) => encryption.TryUnsealSession(sealedSession, Password);

    /// <summary>Unseals a cookie value without resolving it (sign-out reads the session id of a cookie the scheme could not use).</summary>
    internal Session? TryUnsealCookie(string sealedSession) => sealedSession.Length is > 0 and <= MaxCookieLength ? TryUnseal(sealedSession) : null;

    internal static AccessTokenClaims? TryReadClaims(string accessToken) =>
        AccessTokens.TryParseUnverified(accessToken, out var claims) ? claims : null;

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "AuthKit session cookie rejected ({Reason}, {Length} chars); treating the request as anonymous.")]
    private static partial void LogCookieRejected(ILogger logger, string reason, int length);

    [LoggerMessage(EventId = 5108, Level = LogLevel.Debug, Message = "Joined an in-flight resolution of the same session cookie.")]
    private static partial void LogJoined(ILogger logger);

    [LoggerMessage(EventId = 5107, Level = LogLevel.Warning, Message = "A refreshed AuthKit session could not be verified or read back; treating it as invalid.")]
    private static partial void LogSuccessorRejected(ILogger logger);


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
