using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using KeyHash = AuthKit.Session.VerifiedSessionCache.CookieHash;

namespace AuthKit.Session;

/// <summary>
/// The registered <see cref="IWorkOSApiKeys"/>: the WorkOS client behind a small cache of VALID keys, keyed by a SHA-256 of
/// the key (the key itself is never kept). A valid key is remembered for <see cref="AuthKitCoreOptions.ApiKeyCacheDuration"/>
/// (never past the key's own <c>expires_at</c>), measured on <see cref="TimeProvider"/>; invalid keys and WorkOS failures are
/// never remembered, so a key created a moment ago works at once and an outage is not mistaken for "invalid". At most
/// <see cref="AuthKitCoreOptions.ApiKeyCacheSize"/> keys are kept (expired ones are dropped first, then arbitrary ones).
/// A revoked key keeps working until its cache entry expires: that is the price of not calling WorkOS on every request.
/// Concurrent validations of one key share one WorkOS call.
/// </summary>
internal sealed partial class CachingWorkOSApiKeys : IWorkOSApiKeys
{
    private readonly IWorkOSApiKeys _inner;
    private readonly TimeProvider _time;
    private readonly TimeSpan _duration;
    private readonly int _capacity;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<KeyHash, Entry> _entries = new();
    private readonly ConcurrentDictionary<KeyHash, Lazy<Task<ApiKeyValidation>>> _inFlight = new();

    public CachingWorkOSApiKeys(IWorkOSApiKeys inner, IOptions<AuthKitCoreOptions> options, TimeProvider? timeProvider = null, ILogger<CachingWorkOSApiKeys>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        _inner = inner;
        _time = timeProvider ?? TimeProvider.System;
        _duration = options.Value.ApiKeyCacheDuration < TimeSpan.Zero ? TimeSpan.Zero : options.Value.ApiKeyCacheDuration;
        _capacity = Math.Max(0, options.Value.ApiKeyCacheSize);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Keys remembered now (tests).</summary>
    internal int Count => _entries.Count;

    public async Task<ApiKeyValidation> ValidateAsync(string value, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > WorkOSUserManagementClient.MaxApiKeyLength)
        {
            return ApiKeyValidation.Invalid;
        }

        var enabled = _capacity > 0 && _duration > TimeSpan.Zero;
        var hash = enabled ? KeyHash.Of(value) : default;
        if (enabled && _entries.TryGetValue(hash, out var cached))
        {
            if (_time.GetUtcNow() < cached.ExpiresAt)
            {
                return cached.Result;
            }

            _entries.TryRemove(new KeyValuePair<KeyHash, Entry>(hash, cached));
        }

        if (!enabled)
        {
            return await _inner.ValidateAsync(value, cancellationToken).ConfigureAwait(false);
        }

        // One WorkOS call per key at a time: a burst of requests with a key not cached yet shares it. The shared call is
        // not tied to one caller's cancellation (the HTTP client's timeout bounds it); each caller stops waiting on its own.
        // Lazy: of two racing GetOrAdd calls only the stored one ever starts a call (and removes itself when done).
        var flight = _inFlight.GetOrAdd(hash, static (key, state) =>
            new Lazy<Task<ApiKeyValidation>>(() => state.Self.ValidateAndRememberAsync(key, state.Value)), (Self: this, Value: value));
        return await flight.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<ApiKeyValidation> ValidateAndRememberAsync(KeyHash hash, string value)
    {
        await Task.Yield(); // never run the call inside GetOrAdd
        try
        {
            var result = await _inner.ValidateAsync(value, CancellationToken.None).ConfigureAwait(false);
            Log.Validated(_logger, result.Status, result.ApiKey?.Id);
            if (result.IsValid)
            {
                Remember(hash, result);
            }

            return result;
        }
        finally
        {
            _inFlight.TryRemove(hash, out _);
        }
    }

    private void Remember(KeyHash hash, ApiKeyValidation result)
    {
        var now = _time.GetUtcNow();
        var expiresAt = now + _duration;
        if (result.ApiKey!.ExpiresAt is { } keyExpiry && keyExpiry < expiresAt)
        {
            expiresAt = keyExpiry;
        }

        if (expiresAt > now)
        {
            if (_entries.Count >= _capacity)
            {
                Trim(now);
            }

            _entries[hash] = new Entry(result, expiresAt);
        }
    }

    private void Trim(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
            {
                _entries.TryRemove(key, out _);
            }
        }

        // Still full: drop arbitrary entries until a quarter is free (a burst of new keys costs WorkOS calls, never memory).
        var excess = _entries.Count - (_capacity * 3 / 4);
        foreach (var key in _entries.Keys)
        {
            if (excess-- <= 0)
            {
                break;
            }

            _entries.TryRemove(key, out _);
        }
    }

    private sealed record Entry(ApiKeyValidation Result, DateTimeOffset ExpiresAt);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3501, Level = LogLevel.Debug, Message = "API key validated at WorkOS: {Status} (key id {KeyId}).")]
        public static partial void Validated(ILogger logger, ApiKeyValidationStatus status, string? keyId);
    }
}
