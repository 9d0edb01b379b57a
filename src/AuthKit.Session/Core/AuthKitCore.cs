using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AuthKit.Session;

/// <summary>
/// Framework-free session primitives (the npm package's <c>AuthKitCore</c>): sealing and unsealing, access-token
/// verification and the callback-state check. It also holds the state the session engine shares per application — the
/// bounded cache of verified cookies and the one refresh single-flight — which <see cref="SessionResolver"/> (the engine's
/// pipeline: validate, refresh, seal, record) uses. One instance per application (singleton).
/// </summary>
public sealed class AuthKitCore
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

    internal IOptions<AuthKitOptions> Options => _options;

    internal ISessionEncryption Encryption => _encryption;

    internal IAccessTokenVerifier Verifier => _verifier;

    internal int PendingRefreshCount => _flight.Count;

    /// <summary>The one refresh single-flight, shared with the session engine.</summary>
    internal RefreshFlight Flight => _flight;

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
}
