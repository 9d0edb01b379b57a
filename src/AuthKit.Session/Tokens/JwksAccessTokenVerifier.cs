using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthKit.Session;

/// <summary>
/// Verifies WorkOS access tokens against the JWKS at <c>/sso/jwks/{clientId}</c> with
/// <see cref="JsonWebTokenHandler"/>: RS256 only, signature, <c>exp</c>/<c>nbf</c> (through <see cref="TimeProvider"/>),
/// and <see cref="AuthKitOptions.TokenIssuer"/>/<see cref="AuthKitOptions.TokenAudience"/> when set.
/// Keys are cached for the process. An unknown <c>kid</c> triggers at most one fetch per
/// <see cref="AuthKitCoreOptions.JwksRefetchThrottle"/> (concurrent requests share it); when the endpoint is down,
/// cached keys keep working.
/// </summary>
internal sealed partial class JwksAccessTokenVerifier : IAccessTokenVerifier
{
    private const int MaxTokenLength = 16 * 1024;
    private const string Rs256 = SecurityAlgorithms.RsaSha256;

    private readonly IOptions<AuthKitOptions> _options;
    private readonly AuthKitCoreOptions _coreOptions;
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly Lock _gate = new();

    private volatile KeySet? _keys;
    private Task<KeySet?>? _fetch;
    private DateTimeOffset _lastFetchStarted = DateTimeOffset.MinValue;
    private TokenValidationParameters? _parameters;
    private int _fetchCount;

    /// <summary>Creates the verifier. Options are read on first use.</summary>
    /// <param name="options">AuthKit options (client id, API host, optional issuer/audience).</param>
    /// <param name="coreOptions">JWKS throttle, key max age, fetch timeout and clock skew.</param>
    /// <param name="httpClientFactory">Creates the client named <see cref="Microsoft.Extensions.DependencyInjection.AuthKitSessionServiceCollectionExtensions.HttpClientName"/> for JWKS fetches.</param>
    /// <param name="timeProvider">Clock. Default <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Logger. Default none.</param>
    public JwksAccessTokenVerifier(
        IOptions<AuthKitOptions> options,
        IOptions<AuthKitCoreOptions> coreOptions,
        IHttpClientFactory httpClientFactory,
        TimeProvider? timeProvider = null,
        ILogger<JwksAccessTokenVerifier>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(coreOptions);
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        _options = options;
        _coreOptions = coreOptions.Value;
        _httpClientFactory = httpClientFactory;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Number of JWKS fetches started so far (diagnostics and tests).</summary>
    internal int FetchCount => Volatile.Read(ref _fetchCount);

    /// <summary>Completes when no JWKS fetch is running (tests).</summary>
    internal Task WhenFetchIdleAsync()
    {
        lock (_gate)
        {
            return _fetch ?? Task.CompletedTask;
        }
    }

    /// <inheritdoc />
    public async ValueTask<AccessTokenValidation> ValidateAsync(string accessToken, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(accessToken) || accessToken.Length > MaxTokenLength)
        {
            return AccessTokenValidation.Failed(AccessTokenFailure.Malformed);
        }

        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(accessToken);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException or FormatException)
        {
            return AccessTokenValidation.Failed(AccessTokenFailure.Malformed);
        }

        // Pin RS256 before touching keys: "none", HS256 (alg confusion with the RSA public key) and the rest never
        // reach the key cache, so forged tokens cannot trigger JWKS fetches.
        if (!string.Equals(jwt.Alg, Rs256, StringComparison.Ordinal))
        {
            Log.TokenRejected(_logger, AccessTokenFailure.UnsupportedAlgorithm);
            return AccessTokenValidation.Failed(AccessTokenFailure.UnsupportedAlgorithm);
        }

        var kid = jwt.Kid;
        if (string.IsNullOrEmpty(kid))
        {
            return AccessTokenValidation.Failed(AccessTokenFailure.UnknownKey);
        }

        var keys = _keys;
        if (keys is null || !keys.Keys.ContainsKey(kid))
        {
            keys = await GetKeysAfterMissAsync(keys, cancellationToken).ConfigureAwait(false);
            if (keys is null)
            {
                Log.TokenRejected(_logger, AccessTokenFailure.KeysUnavailable);
                return AccessTokenValidation.Failed(AccessTokenFailure.KeysUnavailable);
            }

            if (!keys.Keys.ContainsKey(kid))
            {
                Log.TokenRejected(_logger, AccessTokenFailure.UnknownKey);
                return AccessTokenValidation.Failed(AccessTokenFailure.UnknownKey);
            }
        }
        else if (_timeProvider.GetUtcNow() - keys.FetchedAt > _coreOptions.JwksMaxAge)
        {
            RefreshInBackground();
        }

        var result = await _handler.ValidateTokenAsync(jwt, GetParameters()).ConfigureAwait(false);
        if (!result.IsValid)
        {
            var failure = result.Exception switch
            {
                SecurityTokenInvalidIssuerException => AccessTokenFailure.InvalidIssuer,
                SecurityTokenInvalidAudienceException => AccessTokenFailure.InvalidAudience,
                SecurityTokenInvalidAlgorithmException => AccessTokenFailure.UnsupportedAlgorithm,
                SecurityTokenSignatureKeyNotFoundException => AccessTokenFailure.UnknownKey,
                _ => AccessTokenFailure.InvalidSignature,
            };
            Log.TokenRejected(_logger, failure);
            return AccessTokenValidation.Failed(failure);
        }

        if (!AccessTokens.TryParseUnverified(accessToken, out var claims))
        {
            return AccessTokenValidation.Failed(AccessTokenFailure.Malformed);
        }

        // Lifetime through TimeProvider (the handler's own lifetime check is off): exp is required.
        var now = _timeProvider.GetUtcNow();
        var skew = _coreOptions.ClockSkew;
        if (claims.ExpiresAt is not { } expiresAt || now >= expiresAt + skew)
        {
            return AccessTokenValidation.Failed(AccessTokenFailure.Expired);
        }

        if (claims.TryGetClaim("nbf", out var nbf) && nbf.TryGetDouble(out var nbfSeconds) &&
            DateTimeOffset.FromUnixTimeMilliseconds((long)(nbfSeconds * 1000)) > now + skew)
        {
            return AccessTokenValidation.Failed(AccessTokenFailure.NotYetValid);
        }

        return AccessTokenValidation.Valid(claims);
    }

    private TokenValidationParameters GetParameters()
    {
        if (_parameters is { } cached)
        {
            return cached;
        }

        var options = _options.Value;
        var parameters = new TokenValidationParameters
        {
            ValidAlgorithms = [Rs256],
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = false,
            TryAllIssuerSigningKeys = false,
            IssuerSigningKeyResolver = (_, _, kid, _) =>
                kid is not null && _keys is { } current && current.Keys.TryGetValue(kid, out var key) ? key : [],
            ValidateLifetime = false,
            RequireExpirationTime = false,
            ValidateIssuer = !string.IsNullOrEmpty(options.TokenIssuer),
            ValidIssuer = options.TokenIssuer,
            ValidateAudience = !string.IsNullOrEmpty(options.TokenAudience),
            ValidAudience = options.TokenAudience,
            ValidateTokenReplay = false,
            SaveSigninToken = false,
        };
        return _parameters = parameters;
    }

    /// <summary>The token's <c>kid</c> is not cached: fetch (coalesced, throttled) and return the freshest keys.</summary>
    private async ValueTask<KeySet?> GetKeysAfterMissAsync(KeySet? seen, CancellationToken cancellationToken)
    {
        Task<KeySet?> fetch;
        lock (_gate)
        {
            if (_keys is { } newer && !ReferenceEquals(newer, seen))
            {
                return newer; // Someone refreshed since we looked.
            }

            if (_fetch is { IsCompleted: false } running)
            {
                fetch = running;
            }
            else if (_timeProvider.GetUtcNow() - _lastFetchStarted < _coreOptions.JwksRefetchThrottle)
            {
                Log.RefetchThrottled(_logger);
                return seen;
            }
            else
            {
                fetch = StartFetchLocked();
            }
        }

        return await fetch.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void RefreshInBackground()
    {
        lock (_gate)
        {
            if (_fetch is { IsCompleted: false } ||
                _timeProvider.GetUtcNow() - _lastFetchStarted < _coreOptions.JwksRefetchThrottle)
            {
                return;
            }

            _ = StartFetchLocked();
        }
    }

    private Task<KeySet?> StartFetchLocked()
    {
        _lastFetchStarted = _timeProvider.GetUtcNow();
        Interlocked.Increment(ref _fetchCount);
        var task = FetchAsync();
        _fetch = task;
        return task;
    }

    /// <summary>Fetches the JWKS. Never throws: on failure the cached keys (possibly null) are returned.</summary>
    private async Task<KeySet?> FetchAsync()
    {
        await Task.Yield(); // Never run the fetch inline under the caller's lock.
        using var timeout = new CancellationTokenSource(_coreOptions.JwksFetchTimeout, _timeProvider);
        try
        {
            var client = _httpClientFactory.CreateClient(Microsoft.Extensions.DependencyInjection.AuthKitSessionServiceCollectionExtensions.HttpClientName);
            using var response = await client.GetAsync(WorkOSEndpoints.GetJwksUrl(_options.Value), timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                Log.JwksFetchFailed(_logger, $"status {(int)response.StatusCode}");
                return _keys;
            }

            var json = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            var keys = ReadKeys(json);
            if (keys.Count == 0)
            {
                Log.JwksFetchFailed(_logger, "no usable RS256 keys");
                return _keys;
            }

            var set = new KeySet(keys, _timeProvider.GetUtcNow());
            _keys = set;
            Log.JwksFetched(_logger, keys.Count);
            return set;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or ArgumentException or InvalidOperationException or System.Text.Json.JsonException or CryptographicException or FormatException)
        {
            Log.JwksFetchFailed(_logger, e.GetType().Name);
            return _keys;
        }
    }

    private static Dictionary<string, SecurityKey[]> ReadKeys(string json)
    {
        var set = new JsonWebKeySet(json);
        var keys = new Dictionary<string, SecurityKey[]>(StringComparer.Ordinal);
        foreach (var jwk in set.Keys)
        {
            if (!string.Equals(jwk.Kty, JsonWebAlgorithmsKeyTypes.RSA, StringComparison.Ordinal) ||
                string.IsNullOrEmpty(jwk.Kid) || string.IsNullOrEmpty(jwk.N) || string.IsNullOrEmpty(jwk.E) ||
                (jwk.Use is { Length: > 0 } use && use != "sig") ||
                (jwk.Alg is { Length: > 0 } alg && alg != Rs256))
            {
                continue;
            }

            var rsa = new RSAParameters { Modulus = Base64UrlEncoder.DecodeBytes(jwk.N), Exponent = Base64UrlEncoder.DecodeBytes(jwk.E) };
            keys[jwk.Kid] = [new RsaSecurityKey(rsa) { KeyId = jwk.Kid }];
        }

        return keys;
    }

    private sealed class KeySet(Dictionary<string, SecurityKey[]> keys, DateTimeOffset fetchedAt)
    {
        public Dictionary<string, SecurityKey[]> Keys { get; } = keys;
        public DateTimeOffset FetchedAt { get; } = fetchedAt;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3201, Level = LogLevel.Debug, Message = "Access token rejected: {Failure}.")]
        public static partial void TokenRejected(ILogger logger, AccessTokenFailure failure);

        [LoggerMessage(EventId = 3202, Level = LogLevel.Information, Message = "Loaded {Count} signing key(s) from the WorkOS JWKS.")]
        public static partial void JwksFetched(ILogger logger, int count);

        [LoggerMessage(EventId = 3203, Level = LogLevel.Warning, Message = "Fetching the WorkOS JWKS failed ({Reason}); cached keys stay in use.")]
        public static partial void JwksFetchFailed(ILogger logger, string reason);

        [LoggerMessage(EventId = 3204, Level = LogLevel.Debug, Message = "Unknown signing key id; JWKS refetch throttled.")]
        public static partial void RefetchThrottled(ILogger logger);
    }
}
