using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AuthKit.Session;

/// <summary>
/// Framework-free session logic (port of the npm package's <c>AuthKitCore</c>): sealing, access-token verification,
/// validate-and-refresh with a single-flight refresh per (refresh token, organization), callback state checks, and a
/// bounded cache of verified session cookies. One instance per application (singleton).
/// </summary>
public sealed partial class AuthKitCore
{
    private readonly IOptions<AuthKitOptions> _options;
    private readonly IWorkOSUserManagement _workOS;
    private readonly ISessionEncryption _encryption;
    private readonly IAccessTokenVerifier _verifier;
    private readonly AuthKitCoreOptions _coreOptions;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly VerifiedSessionCache _cache;
    private readonly RefreshFlight _flight;
    // In-flight validations, keyed by the cookie value itself so that a request joining one (a refresh storm) is
    // matched before the cookie is hashed for the cache. Entries live only while their validation runs.
    private readonly ConcurrentDictionary<string, Task<SealedSessionValidation>> _validations = new(InFlightCookieComparer.Instance);
    private int _validationsInFlight;

    /// <summary>Creates the core. <paramref name="options"/> is read on first use, so configuration may come later.</summary>
    /// <param name="options">AuthKit options (cookie password, client id...).</param>
    /// <param name="workOS">The WorkOS client.</param>
    /// <param name="encryption">Session and PKCE-state sealing.</param>
    /// <param name="verifier">Access-token verification.</param>
    /// <param name="coreOptions">Refresh sharing and cache tuning.</param>
    /// <param name="timeProvider">Clock for expiry, the 429 back-off and cache expiry.</param>
    /// <param name="logger">Logger. Default none.</param>
    public AuthKitCore(
        IOptions<AuthKitOptions> options,
        IWorkOSUserManagement workOS,
        ISessionEncryption encryption,
        IAccessTokenVerifier verifier,
        IOptions<AuthKitCoreOptions> coreOptions,
        TimeProvider timeProvider,
        ILogger<AuthKitCore>? logger = null)
        : this(options, workOS, encryption, verifier, coreOptions, timeProvider, logger, relay: null, engineOptions: null)
    {
    }

    /// <summary>The engine's core: refreshes go through the registered relay and its store (lease, rotations).</summary>
    internal AuthKitCore(
        IOptions<AuthKitOptions> options,
        IWorkOSUserManagement workOS,
        ISessionEncryption encryption,
        IAccessTokenVerifier verifier,
        IOptions<AuthKitCoreOptions> coreOptions,
        TimeProvider timeProvider,
        ILogger<AuthKitCore>? logger,
        SessionRelay? relay,
        IOptions<SessionEngineOptions>? engineOptions)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(workOS);
        ArgumentNullException.ThrowIfNull(encryption);
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(coreOptions);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options;
        _workOS = workOS;
        _encryption = encryption;
        _verifier = verifier;
        _coreOptions = coreOptions.Value;
        _timeProvider = timeProvider;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _cache = new VerifiedSessionCache(_coreOptions.VerifiedSessionCacheSize, _coreOptions.ClockSkew);

        // Standalone (no engine registered): a relay over a store of this core's own, in memory.
        var engine = Microsoft.Extensions.Options.Options.Create(new SessionEngineOptions());
        relay ??= new SessionRelay(new MemorySessionStore(engine, timeProvider), engine, NullLogger<SessionRelay>.Instance);
        _flight = new RefreshFlight(workOS, encryption, options, relay, engineOptions ?? engine, _coreOptions, _cache, timeProvider, _logger);
    }

    /// <summary>The WorkOS client this core uses.</summary>
    public IWorkOSUserManagement WorkOS => _workOS;

    /// <summary>The time provider this core uses.</summary>
    public TimeProvider TimeProvider => _timeProvider;

    internal VerifiedSessionCache Cache => _cache;

    internal int PendingRefreshCount => _flight.Count;

    /// <summary>The one refresh single-flight, shared with the session engine.</summary>
    internal RefreshFlight Flight => _flight;

    internal int PendingValidationCount => _validations.Count;

    private string CookiePassword => _options.Value.CookiePassword is { Length: > 0 } password
        ? password
        : throw new InvalidOperationException("AuthKit is not configured: set AuthKit:CookiePassword (environment variable WORKOS_COOKIE_PASSWORD).");

    /// <summary>Seals a session for the cookie (no expiry, as the npm package does).</summary>
    public string EncryptSession(Session session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return _encryption.SealSession(session, CookiePassword);
    }

    /// <summary>Unseals a session cookie. Throws an <see cref="AuthKitException"/> when it is tampered, malformed or sealed with another password.</summary>
    public Session DecryptSession(string sealedSession)
    {
        ArgumentNullException.ThrowIfNull(sealedSession);
        return _encryption.UnsealSession(sealedSession, CookiePassword);
    }

    /// <summary>Whether the access token verifies (signature, RS256, lifetime).</summary>
    public async ValueTask<bool> VerifyTokenAsync(string accessToken, CancellationToken cancellationToken = default) =>
        (await _verifier.ValidateAsync(accessToken, cancellationToken).ConfigureAwait(false)).IsValid;

    /// <summary>
    /// Checks the callback's <c>state</c> against the verifier cookie (constant-time byte comparison, before any
    /// decryption) and unseals it.
    /// </summary>
    /// <exception cref="OAuthStateMismatchException">The state is missing or differs from the cookie.</exception>
    /// <exception cref="PkceCookieMissingException">The verifier cookie was not sent.</exception>
    /// <exception cref="AuthKitException">The state is tampered, expired or malformed.</exception>
    public PkceState VerifyCallbackState(string? stateFromUrl, string? cookieValue)
    {
        if (string.IsNullOrEmpty(stateFromUrl))
        {
            throw new OAuthStateMismatchException("The callback has no state parameter. Start the sign-in again.");
        }

        if (string.IsNullOrEmpty(cookieValue))
        {
            throw new PkceCookieMissingException();
        }

        if (!Utf8FixedTimeEquals(stateFromUrl, cookieValue))
        {
            throw new OAuthStateMismatchException();
        }

        return _encryption.UnsealState(cookieValue, CookiePassword);
    }

    /// <summary>
    /// Validates the session's access token; when it is invalid (expired, unknown key...) or <see cref="RefreshOptions.Force"/>
    /// is set, refreshes it with the organization <see cref="RefreshOptions.OrganizationId"/>, else the token's <c>org_id</c>.
    /// </summary>
    /// <exception cref="TokenRefreshException">The refresh failed (<see cref="TokenRefreshException.IsFinal"/> tells a rejected refresh token from a transient error).</exception>
    internal async ValueTask<SessionValidationResult> ValidateAndRefreshAsync(Session session, RefreshOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var validation = await _verifier.ValidateAsync(session.AccessToken, cancellationToken).ConfigureAwait(false);
        var force = options?.Force ?? false;
        if (validation.IsValid && !force)
        {
            return new SessionValidationResult(session, validation.Claims, refreshed: false);
        }

        // Organization: explicit > the current token's org_id. The token comes from the sealed cookie, so its claims
        // are trustworthy even when it has expired.
        var organizationId = options?.OrganizationId;
        if (string.IsNullOrEmpty(organizationId))
        {
            organizationId = validation.Claims?.OrganizationId
                ?? (AccessTokens.TryParseUnverified(session.AccessToken, out var expired) ? expired.OrganizationId : null);
        }

        Log.Refreshing(_logger, force ? "forced" : validation.Failure.ToString(), organizationId is not null);
        return await RefreshAsync(session, organizationId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Refreshes the session. Single flight per (refresh token, organization): concurrent callers share one WorkOS call
    /// and its result, and callers arriving shortly after it finished (<see cref="AuthKitCoreOptions.RefreshResultGracePeriod"/>)
    /// get the same successor instead of spending the used token. After a 429 it waits <c>Retry-After</c> (clamped to 1..10 s)
    /// and retries once. Cancelling <paramref name="cancellationToken"/> abandons the wait, not the shared refresh.
    /// </summary>
    /// <exception cref="TokenRefreshException">The refresh failed.</exception>
    internal async Task<SessionValidationResult> RefreshAsync(Session session, string? organizationId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var outcome = await _flight.RunAsync(session, string.IsNullOrEmpty(organizationId) ? null : organizationId, cancellationToken).ConfigureAwait(false);
        if (outcome.Session is { } next)
        {
            return new SessionValidationResult(next, AccessTokens.ParseUnverified(next.AccessToken), refreshed: true);
        }

        throw outcome.Error as TokenRefreshException
            ?? new TokenRefreshException("Failed to refresh the session.", session.User?.Id, null, outcome.Error);
    }

    /// <summary>
    /// The per-request path: unseals the cookie and validates/refreshes it, serving cookies verified before from a
    /// bounded cache while their access token is valid. Concurrent calls with the same cookie share one validation
    /// (one unseal, one verification, at most one refresh and one seal of the successor), so a burst of requests
    /// carrying the same expired cookie costs one upstream refresh and little more than one request's work.
    /// Cancelling <paramref name="cancellationToken"/> abandons the wait, not the shared validation.
    /// </summary>
    /// <exception cref="AuthKitException">The cookie cannot be unsealed, or the refresh failed (<see cref="TokenRefreshException"/>).</exception>
    internal ValueTask<SealedSessionValidation> ValidateSealedSessionAsync(string sealedSession, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sealedSession);

        // Joining a validation already running for this cookie needs no hash of it (the counter keeps this look-up
        // off the path when nothing is in flight, e.g. for the warm path).
        if (Volatile.Read(ref _validationsInFlight) != 0 && _validations.TryGetValue(sealedSession, out var running))
        {
            return Await(running, cancellationToken);
        }

        var key = VerifiedSessionCache.CookieHash.Of(sealedSession);
        if (_cache.TryGet(key, _timeProvider.GetUtcNow(), out var cached))
        {
            return ValueTask.FromResult(cached);
        }

        return Await(JoinOrStartValidation(sealedSession, key), cancellationToken);

        static ValueTask<SealedSessionValidation> Await(Task<SealedSessionValidation> validation, CancellationToken cancellationToken) =>
            validation.IsCompleted ? new ValueTask<SealedSessionValidation>(validation) : new ValueTask<SealedSessionValidation>(validation.WaitAsync(cancellationToken));
    }

    /// <summary>Returns the in-flight validation of this cookie, or starts one (running inline up to its first real wait).</summary>
    private Task<SealedSessionValidation> JoinOrStartValidation(string sealedSession, VerifiedSessionCache.CookieHash key)
    {
        while (true)
        {
            if (_validations.TryGetValue(sealedSession, out var running))
            {
                return running;
            }

            var source = new TaskCompletionSource<SealedSessionValidation>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_validations.TryAdd(sealedSession, source.Task))
            {
                Interlocked.Increment(ref _validationsInFlight);
                _ = RunValidationAsync(sealedSession, key, source);
                return source.Task;
            }
        }
    }

    private async Task RunValidationAsync(string sealedSession, VerifiedSessionCache.CookieHash key, TaskCompletionSource<SealedSessionValidation> source)
    {
        SealedSessionValidation result;
        try
        {
            var session = DecryptSession(sealedSession);
            var validated = await ValidateAndRefreshAsync(session, null, CancellationToken.None).ConfigureAwait(false);
            var auth = validated.ToAuthResult();
            if (!validated.Refreshed)
            {
                _cache.Set(key, auth);
                result = new SealedSessionValidation(auth, refreshed: false, sealedSession: null);
            }
            else
            {
                _cache.Remove(key);
                result = new SealedSessionValidation(auth, refreshed: true, EncryptSession(validated.Session));
            }
        }
        catch (Exception e)
        {
            // Forget before completing, so a caller that retries never rejoins a finished failure.
            ForgetValidation(sealedSession, source.Task);
            source.TrySetException(e);
            return;
        }

        ForgetValidation(sealedSession, source.Task);
        source.TrySetResult(result);
    }

    private void ForgetValidation(string sealedSession, Task<SealedSessionValidation> validation)
    {
        if (_validations.TryRemove(KeyValuePair.Create(sealedSession, validation)))
        {
            Interlocked.Decrement(ref _validationsInFlight);
        }
    }

    /// <summary>Forgets cached verifications of a session (call when it ends: sign-out, revocation).</summary>
    public void InvalidateSession(string sessionId)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        _cache.RemoveSession(sessionId);
    }

    /// <summary>
    /// Sign-out in the engine, the one implementation every host uses: records the session as ended in the relay's
    /// store (every server and circuit then refuses it) and forgets its cookies in the verified-session cache.
    /// </summary>
    internal async ValueTask EndSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        await _flight.Relay.MarkEndedAsync(sessionId, cancellationToken).ConfigureAwait(false);
        _cache.RemoveSession(sessionId);
    }

    private static bool Utf8FixedTimeEquals(string a, string b)
    {
        var left = Encoding.UTF8.GetBytes(a);
        var right = Encoding.UTF8.GetBytes(b);
        return CryptographicOperations.FixedTimeEquals(left, right);
    }


    /// <summary>
    /// Ordinal equality of cookie values; the hash covers the length and the last <see cref="TailLength"/> characters
    /// only (randomized per process by <see cref="HashCode"/>), so joining an in-flight validation costs no pass over a
    /// ~2 KB cookie. A sealed cookie ends in its HMAC, so genuine cookies spread evenly; cookies forged to share a tail
    /// fail their unseal inline (before the first await) and leave the map at once, so they can never pile up in a
    /// bucket beyond the number of validations running at the same moment.
    /// </summary>
    private sealed class InFlightCookieComparer : IEqualityComparer<string>
    {
        private const int TailLength = 64;

        public static readonly InFlightCookieComparer Instance = new();

        public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

        public int GetHashCode(string obj)
        {
            var hash = new HashCode();
            hash.Add(obj.Length);
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(obj.AsSpan(Math.Max(0, obj.Length - TailLength))));
            return hash.ToHashCode();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3301, Level = LogLevel.Debug, Message = "Refreshing session tokens (reason: {Reason}, organization scoped: {OrganizationScoped}).")]
        public static partial void Refreshing(ILogger logger, string reason, bool organizationScoped);
    }
}
