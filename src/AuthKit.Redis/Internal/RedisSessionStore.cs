using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using AuthKit.Session;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AuthKit.Redis.Internal;

/// <summary>
/// <see cref="ISessionStore"/> on Redis for several servers.
/// <list type="bullet">
/// <item>Refresh lease: <c>SET NX PX</c> with a random token (refused while the token's rotation is already recorded),
/// renewed by compare-and-<c>PEXPIRE</c> and released by compare-and-<c>DEL</c> scripts.</item>
/// <item>Rotations and ended sessions: keys with TTLs under <see cref="RedisSessionStoreOptions.KeyPrefix"/> (ended ones
/// also in a sorted set by expiry, for reconciliation), each write published on one channel in the same script.</item>
/// <item>A local view fed by this server's writes and by the channel answers warm checks with no Redis command; a
/// rotation miss asks Redis only while a refresh of that token is running or awaited here; an ended-session miss asks
/// Redis only until the view is reconciled after a (re)connect.</item>
/// <item>Faults: every command is bounded by <see cref="RedisSessionStoreOptions.CommandTimeout"/> and sits behind a
/// breaker; without Redis the lease is a local one, writes are kept locally and written back on reconnect, and nothing
/// throws.</item>
/// </list>
/// </summary>
internal sealed partial class RedisSessionStore : ISessionStore, IDisposable
{
    private const string LocalTokenPrefix = "local:";
    private static readonly TimeSpan ReconcileTimeout = TimeSpan.FromSeconds(5);

    // KEYS[1] lease, KEYS[2] rotation of the lease's refresh token; ARGV[1] token, ARGV[2] ms.
    // 1 acquired, 0 held by another, -1 the token was already rotated (its successor is in the relay).
    private const string AcquireScript = """
        if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
        if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
        return 0
        """;

    private const string RenewScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        return 0
        """;

    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    // Writes a rotation and supersedes the record that led to it: that record keeps only its pointer (its successor
    // key and a newline), so a chain holds one sealed session however many refreshes it has seen.
    // KEYS[1] rotation, KEYS[2] this record's predecessor link, KEYS[3] the successor's predecessor link;
    // ARGV[1] value, ARGV[2] ms, ARGV[3] channel, ARGV[4] message, ARGV[5] this record's key, ARGV[6] rotation key prefix,
    // ARGV[7] origin, ARGV[8] now (unix ms). Returns {predecessor key, its remaining ms} when it superseded one.
    private const string SetRotationScript = """
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        redis.call('PUBLISH', ARGV[3], ARGV[4])
        redis.call('SET', KEYS[3], ARGV[5], 'PX', ARGV[2])
        local previous = redis.call('GET', KEYS[2])
        if not previous then return false end
        redis.call('DEL', KEYS[2])
        local key = ARGV[6] .. previous
        local ttl = redis.call('PTTL', key)
        if ttl <= 0 then return false end
        local value = redis.call('GET', key)
        local newline = string.find(value, '\n', 1, true)
        if not newline or newline == #value then return false end
        redis.call('SET', key, string.sub(value, 1, newline), 'PX', ttl)
        redis.call('PUBLISH', ARGV[3], 'R\n' .. ARGV[7] .. '\n' .. previous .. '\n' .. string.format('%.0f', tonumber(ARGV[8]) + ttl) .. '\n' .. string.sub(value, 1, newline))
        return {previous, ttl}
        """;

    // KEYS[1] ended, KEYS[2] ended set; ARGV[1] ms, ARGV[2] expiry (unix ms), ARGV[3] member, ARGV[4] channel, ARGV[5] message, ARGV[6] now (unix ms).
    private const string MarkEndedScript = """
        redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
        redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[6])
        redis.call('PUBLISH', ARGV[4], ARGV[5])
        return 1
        """;

    private readonly RedisConnection _connection;
    private readonly RedisSessionStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RedisBreaker _breaker;
    private readonly RedisLocalView _view;
    private readonly ConcurrentDictionary<string, SessionRefreshLease> _localLeases = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (SessionRotation Rotation, DateTimeOffset ExpiresAt)> _unsentRotations = new(StringComparer.Ordinal);
    private readonly SessionStoreSubscribers _subscribers = new();
    private readonly string _origin = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
    private readonly string _prefix;
    private readonly string _channelName;
    private readonly RedisChannel _channel;
    private readonly RedisKey _endedSet;
    private volatile IConnectionMultiplexer? _multiplexer;
    private volatile bool _subscribed;
    private int _started;
    private int _reconciling;
    private int _probing;
    private volatile bool _reconcileAgain;
    private long _commands;
    private int _disposed;

    public RedisSessionStore(RedisConnection connection, IOptions<RedisSessionStoreOptions> options, TimeProvider time, ILogger<RedisSessionStore> logger)
    {
        _connection = connection;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _prefix = _options.KeyPrefix ?? string.Empty;
        _channelName = _prefix + "events";
        _channel = RedisChannel.Literal(_channelName);
        _endedSet = _prefix + "ended";
        _breaker = new RedisBreaker(time, _options.FailuresToBreak, _options.BreakDuration);
        _view = new RedisLocalView(time, _options.LocalViewSizeLimit, _options.RotationCacheSizeLimit);
        _breaker.Opened += OnBreakerOpened;
        _breaker.Recovered += OnBreakerRecovered;
    }

    public bool IsShared => true;

    /// <summary>Redis commands this store sent (for tests and benchmarks: a warm request sends none).</summary>
    internal long CommandsSent => Interlocked.Read(ref _commands);

    /// <summary>Subscribed and reconciled: ended-session misses are answered locally.</summary>
    internal bool IsSynced => _subscribed && _view.IsSynced;

    internal bool IsBreakerOpen => _breaker.IsOpen;

    /// <summary>Connects, subscribes and reconciles in the background (idempotent, never blocks the caller).</summary>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _started, 1, 0) == 0)
        {
            _ = Task.Run(StartAsync);
        }
    }

    // ---- lease -------------------------------------------------------------------------------------

    public async ValueTask<SessionRefreshLease?> TryAcquireRefreshLeaseAsync(string key, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = _time.GetUtcNow();
        var relayKey = RelayKeyOf(key);
        _view.Await(relayKey, now + duration); // a rotation miss for this token may now ask Redis
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var ms = Milliseconds(duration);
        var (ok, result) = await RunAsync(db => db.ScriptEvaluateAsync(AcquireScript, [LeaseKey(key), RotationKey(relayKey)], [token, ms])).ConfigureAwait(false);
        if (!ok)
        {
            LogLocalLease(_logger);
            return AcquireLocal(key, duration, now);
        }

        return (long)result switch
        {
            1 => new SessionRefreshLease(key, token, now + duration),
            _ => null, // held by another server, or already rotated: the engine waits for (or finds) the successor
        };
    }

    public async ValueTask<bool> RenewRefreshLeaseAsync(SessionRefreshLease lease, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (lease.Token.StartsWith(LocalTokenPrefix, StringComparison.Ordinal))
        {
            return RenewLocal(lease, duration);
        }

        var (ok, result) = await RunAsync(db => db.ScriptEvaluateAsync(RenewScript, [LeaseKey(lease.Key)], [lease.Token, Milliseconds(duration)])).ConfigureAwait(false);
        return !ok || (long)result == 1; // unknown while Redis is away: keep going (the lease then only guards this process)
    }

    public async ValueTask ReleaseRefreshLeaseAsync(SessionRefreshLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (lease.Token.StartsWith(LocalTokenPrefix, StringComparison.Ordinal))
        {
            if (_localLeases.TryGetValue(lease.Key, out var held) && held.Token == lease.Token)
            {
                _localLeases.TryRemove(KeyValuePair.Create(lease.Key, held));
            }

            return;
        }

        await RunAsync(db => db.ScriptEvaluateAsync(ReleaseScript, [LeaseKey(lease.Key)], [lease.Token])).ConfigureAwait(false); // it expires anyway
    }

    // ---- rotations ---------------------------------------------------------------------------------

    public async ValueTask SetRotationAsync(string key, SessionRotation rotation, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(rotation);
        var expiresAt = _time.GetUtcNow() + lifetime;
        _view.AddRotation(key, rotation, expiresAt);
        Notify(new SessionStoreNotification(SessionStoreNotificationKind.Rotated, key));
        if (!await WriteRotationAsync(key, rotation, expiresAt).ConfigureAwait(false) && _unsentRotations.Count < _options.RotationCacheSizeLimit)
        {
            _unsentRotations[key] = (rotation, expiresAt); // written back on reconnect
        }
    }

    public ValueTask<SessionRotation?> GetRotationAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        Start();
        if (_view.GetRotation(key) is { } local)
        {
            return ValueTask.FromResult<SessionRotation?>(local);
        }

        // Only a refresh of this token (running or awaited here) asks Redis: pub/sub may lag, or the rotation predates
        // this server's cache. A warm request never does.
        return _view.IsAwaited(key) ? ReadRotationAsync(key) : ValueTask.FromResult<SessionRotation?>(null);
    }

    private async ValueTask<SessionRotation?> ReadRotationAsync(string key)
    {
        var (ok, value) = await RunAsync(db => db.StringGetWithExpiryAsync(RotationKey(key))).ConfigureAwait(false);
        if (!ok || !value.Value.HasValue || ParseRotation(value.Value.ToString()) is not { } rotation)
        {
            return null;
        }

        _view.AddRotation(key, rotation, _time.GetUtcNow() + (value.Expiry ?? TimeSpan.FromMinutes(5)));
        return rotation;
    }

    // ---- ended sessions ----------------------------------------------------------------------------

    public async ValueTask MarkEndedAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var expiresAt = _time.GetUtcNow() + lifetime;
        _view.AddEnded(key, expiresAt); // this server refuses it from now on, whatever Redis does
        Notify(new SessionStoreNotification(SessionStoreNotificationKind.Ended, key));
        await WriteEndedAsync(key, expiresAt).ConfigureAwait(false); // if Redis is away, reconciliation writes it back
    }

    public ValueTask<bool> IsEndedAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        Start();
        if (_view.IsEnded(key))
        {
            return ValueTask.FromResult(true);
        }

        return IsSynced ? ValueTask.FromResult(false) : ReadEndedAsync(key);
    }

    private async ValueTask<bool> ReadEndedAsync(string key)
    {
        var (ok, ttl) = await RunAsync(db => db.KeyTimeToLiveAsync(EndedKey(key))).ConfigureAwait(false);
        if (ok && ttl is { } remaining && remaining > TimeSpan.Zero)
        {
            _view.AddEnded(key, _time.GetUtcNow() + remaining);
            return true;
        }

        return false;
    }

    // ---- notifications -----------------------------------------------------------------------------

    public IDisposable Subscribe(Action<SessionStoreNotification> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Start();
        return _subscribers.Add(handler);
    }

    private void Notify(SessionStoreNotification notification) => _subscribers.Notify(notification);

    private void OnMessage(RedisChannel channel, RedisValue message)
    {
        try
        {
            var parts = message.ToString().Split('\n', 6);
            if (parts.Length < 4 || parts[1] == _origin
                || !long.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var expiresMs))
            {
                return; // our own write (already applied and notified), or not ours to read
            }

            var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(expiresMs);
            switch (parts[0])
            {
                case "E":
                    _view.AddEnded(parts[2], expiresAt);
                    Notify(new SessionStoreNotification(SessionStoreNotificationKind.Ended, parts[2]));
                    break;
                case "R" when parts.Length == 6:
                    _view.AddRotation(parts[2], new SessionRotation(parts[5], parts[4]), expiresAt);
                    Notify(new SessionStoreNotification(SessionStoreNotificationKind.Rotated, parts[2]));
                    break;
            }
        }
        catch (Exception ex)
        {
            LogBadMessage(_logger, ex.GetType().Name);
        }
    }

    // ---- connection, breaker, reconciliation -------------------------------------------------------

    private async Task StartAsync()
    {
        try
        {
            var multiplexer = _connection.Multiplexer; // at most the connect timeout, here in the background
            multiplexer.ConnectionFailed += OnConnectionFailed;
            multiplexer.ConnectionRestored += OnConnectionRestored;
            for (var waited = 0; !multiplexer.IsConnected && waited < 50; waited++)
            {
                // A connection still opening (a busy machine): meanwhile calls go on without Redis, without tripping the breaker.
                await Task.Delay(TimeSpan.FromMilliseconds(40), _time).ConfigureAwait(false);
            }

            _multiplexer = multiplexer;

            await ReconcileAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogStartFailed(_logger, ex);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        _view.MarkStale(); // StackExchange.Redis resubscribes by itself; the view is reconciled when the connection is back
        _breaker.Trip();
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        _breaker.AllowProbeNow();
        ScheduleReconcile();
    }

    private void OnBreakerOpened()
    {
        _view.MarkStale(); // pub/sub messages may be lost while Redis is away
        LogUnavailable(_logger, _options.BreakDuration.TotalSeconds);
        if (Interlocked.Exchange(ref _probing, 1) == 0)
        {
            _ = Task.Run(ProbeUntilRecoveredAsync);
        }
    }

    /// <summary>While the breaker is open, tries to reconcile after every break (so recovery does not wait for traffic).</summary>
    private async Task ProbeUntilRecoveredAsync()
    {
        try
        {
            while (Volatile.Read(ref _disposed) == 0 && (_breaker.IsOpen || !IsSynced))
            {
                await Task.Delay(_options.BreakDuration, _time).ConfigureAwait(false);
                await ReconcileAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            LogReconcileFailed(_logger, ex.GetType().Name);
        }
        finally
        {
            Volatile.Write(ref _probing, 0);
        }
    }

    private void OnBreakerRecovered()
    {
        LogRecovered(_logger);
        ScheduleReconcile();
    }

    private void ScheduleReconcile()
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            _ = Task.Run(ReconcileAsync);
        }
    }

    internal async Task ReconcileAsync()
    {
        if (Interlocked.Exchange(ref _reconciling, 1) == 1)
        {
            _reconcileAgain = true;
            return;
        }

        try
        {
            do
            {
                _reconcileAgain = false;
                if (!await ReconcileOnceAsync().ConfigureAwait(false))
                {
                    break;
                }
            }
            while (_reconcileAgain);
        }
        catch (Exception ex)
        {
            LogReconcileFailed(_logger, ex.GetType().Name);
        }
        finally
        {
            Volatile.Write(ref _reconciling, 0);
        }
    }

    private async Task<bool> ReconcileOnceAsync()
    {
        if (_multiplexer is not { } multiplexer || Volatile.Read(ref _disposed) != 0)
        {
            return false;
        }

        // Subscribe first, then load: nothing published in between is missed.
        if (!_subscribed)
        {
            var subscribe = multiplexer.GetSubscriber().SubscribeAsync(_channel, OnMessage);
            try
            {
                await subscribe.WaitAsync(ReconcileTimeout, _time).ConfigureAwait(false);
                _subscribed = true;
            }
            catch (Exception ex)
            {
                Observe(subscribe);
                LogReconcileFailed(_logger, ex.GetType().Name);
                return false;
            }
        }

        var limit = Math.Max(16, _options.LocalViewSizeLimit);
        var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var (ok, loaded) = await RunAsync(
            async db =>
            {
                await db.SortedSetRemoveRangeByScoreAsync(_endedSet, double.NegativeInfinity, nowMs).ConfigureAwait(false);
                var count = await db.SortedSetLengthAsync(_endedSet).ConfigureAwait(false);
                var entries = await db.SortedSetRangeByScoreWithScoresAsync(_endedSet, nowMs, double.PositiveInfinity, Exclude.Start, Order.Descending, 0, limit).ConfigureAwait(false);
                return (Count: count, Entries: entries);
            },
            ReconcileTimeout).ConfigureAwait(false);
        if (!ok)
        {
            return false;
        }

        var inRedis = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in loaded.Entries)
        {
            var key = entry.Element.ToString();
            inRedis.Add(key);
            _view.AddEnded(key, DateTimeOffset.FromUnixTimeMilliseconds((long)entry.Score));
        }

        // Ended sessions this server knows and Redis does not (recorded while it was away, or lost by a restart without
        // persistence): write them back, so every server refuses them again.
        var writtenBack = 0;
        if (loaded.Count <= limit)
        {
            foreach (var (key, expiresAt) in _view.EndedEntries())
            {
                if (!inRedis.Contains(key) && await WriteEndedAsync(key, expiresAt).ConfigureAwait(false))
                {
                    writtenBack++;
                }
            }
        }

        foreach (var (key, (rotation, expiresAt)) in _unsentRotations)
        {
            if (expiresAt <= _time.GetUtcNow() || await WriteRotationAsync(key, rotation, expiresAt).ConfigureAwait(false))
            {
                _unsentRotations.TryRemove(key, out _);
            }
        }

        _view.MarkSynced(complete: loaded.Count <= limit);
        LogReconciled(_logger, loaded.Entries.Length, writtenBack);
        return true;
    }

    private async Task<bool> WriteRotationAsync(string key, SessionRotation rotation, DateTimeOffset expiresAt)
    {
        var now = _time.GetUtcNow();
        var ms = Milliseconds(expiresAt - now);
        var message = string.Join('\n', "R", _origin, key, expiresAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), rotation.SuccessorKey, rotation.SealedSession);
        var (ok, superseded) = await RunAsync(db => db.ScriptEvaluateAsync(SetRotationScript,
            [RotationKey(key), PredecessorKey(key), PredecessorKey(rotation.SuccessorKey)],
            [rotation.SuccessorKey + "\n" + rotation.SealedSession, ms, _channelName, message, key, _prefix + "rotation:", _origin, now.ToUnixTimeMilliseconds()])).ConfigureAwait(false);
        if (ok && superseded is { IsNull: false, Length: 2 } && superseded[0].ToString() is { Length: > 0 } previous)
        {
            // Other servers apply the script's message; this server skips its own messages, so it applies it here, even
            // before the whole record's message (from the server that wrote it) has reached this view.
            _view.AddRotation(previous, new SessionRotation("", key), now + TimeSpan.FromMilliseconds((long)superseded[1]));
        }

        return ok;
    }

    private async Task<bool> WriteEndedAsync(string key, DateTimeOffset expiresAt)
    {
        var now = _time.GetUtcNow();
        var expiresMs = expiresAt.ToUnixTimeMilliseconds();
        var message = string.Join('\n', "E", _origin, key, expiresMs.ToString(CultureInfo.InvariantCulture));
        var (ok, _) = await RunAsync(db => db.ScriptEvaluateAsync(MarkEndedScript, [EndedKey(key), _endedSet],
            [Milliseconds(expiresAt - now), expiresMs, key, _channelName, message, now.ToUnixTimeMilliseconds()])).ConfigureAwait(false);
        return ok;
    }

    /// <summary>One Redis command: skipped while the breaker is open, bounded by the command timeout, never throws.</summary>
    private async ValueTask<(bool Ok, T Value)> RunAsync<T>(Func<IDatabase, Task<T>> command, TimeSpan? timeout = null)
    {
        Start();
        var multiplexer = _multiplexer;
        if (multiplexer is null || Volatile.Read(ref _disposed) != 0 || !_breaker.Allow())
        {
            return (false, default!);
        }

        if (!multiplexer.IsConnected)
        {
            _breaker.Trip();
            return (false, default!);
        }

        Interlocked.Increment(ref _commands);
        Task<T>? task = null;
        try
        {
            task = command(multiplexer.GetDatabase());
            var value = await task.WaitAsync(timeout ?? _options.CommandTimeout, _time).ConfigureAwait(false);
            _breaker.Success();
            return (true, value);
        }
        catch (Exception ex)
        {
            if (task is not null)
            {
                Observe(task);
            }

            LogCommandFailed(_logger, ex.GetType().Name);
            _breaker.Failure();
            return (false, default!);
        }
    }

    private static void Observe(Task task) => task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    // ---- local lease (Redis away) ------------------------------------------------------------------

    private SessionRefreshLease? AcquireLocal(string key, TimeSpan duration, DateTimeOffset now)
    {
        var lease = new SessionRefreshLease(key, LocalTokenPrefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), now + duration);
        while (true)
        {
            if (_localLeases.TryAdd(key, lease))
            {
                return lease;
            }

            if (!_localLeases.TryGetValue(key, out var held))
            {
                continue;
            }

            if (held.ExpiresAt > now)
            {
                return null;
            }

            if (_localLeases.TryUpdate(key, lease, held))
            {
                return lease;
            }
        }
    }

    private bool RenewLocal(SessionRefreshLease lease, TimeSpan duration)
    {
        var now = _time.GetUtcNow();
        return _localLeases.TryGetValue(lease.Key, out var held) && held.Token == lease.Token && held.ExpiresAt > now
            && _localLeases.TryUpdate(lease.Key, held with { ExpiresAt = now + duration }, held);
    }

    // ---- keys ----------------------------------------------------------------------------------------

    /// <summary>The relay key inside a lease key (the engine's lease key is the relay key, <c>|</c>, the organization).</summary>
    private static string RelayKeyOf(string leaseKey)
    {
        var bar = leaseKey.IndexOf('|', StringComparison.Ordinal);
        return bar < 0 ? leaseKey : leaseKey[..bar];
    }

    private RedisKey LeaseKey(string key) => _prefix + "lease:" + key;

    private RedisKey RotationKey(string key) => _prefix + "rotation:" + key;

    private RedisKey EndedKey(string key) => _prefix + "ended:" + key;

    private RedisKey PredecessorKey(string key) => _prefix + "prev:" + key;

    private static long Milliseconds(TimeSpan span) => Math.Max(1, (long)Math.Ceiling(span.TotalMilliseconds));

    private static SessionRotation? ParseRotation(string value)
    {
        var newline = value.IndexOf('\n', StringComparison.Ordinal);
        return newline <= 0 ? null : new SessionRotation(value[(newline + 1)..], value[..newline]);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _breaker.Opened -= OnBreakerOpened;
        _breaker.Recovered -= OnBreakerRecovered;
        if (_multiplexer is { } multiplexer)
        {
            multiplexer.ConnectionFailed -= OnConnectionFailed;
            multiplexer.ConnectionRestored -= OnConnectionRestored;
            try
            {
                Observe(multiplexer.GetSubscriber().UnsubscribeAsync(_channel, OnMessage));
            }
            catch (Exception)
            {
                // Shutting down: the connection may already be gone.
            }
        }
    }
    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "AuthKit's Redis store is unavailable; for the next {BreakSeconds:0.#} s this server works without it (users stay signed in, refreshes are single-flight per server, sign-outs are kept here and written back).")]
    private static partial void LogUnavailable(ILogger logger, double breakSeconds);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "AuthKit's Redis store answers again; reconciling this server's view.")]
    private static partial void LogRecovered(ILogger logger);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "AuthKit's Redis view reconciled: {Loaded} ended session(s) loaded, {WrittenBack} written back.")]
    private static partial void LogReconciled(ILogger logger, int loaded, int writtenBack);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Debug, Message = "A Redis command of AuthKit's store failed ({Cause}); going on without it.")]
    private static partial void LogCommandFailed(ILogger logger, string cause);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Debug, Message = "Redis unavailable: the refresh lease is this server's only.")]
    private static partial void LogLocalLease(ILogger logger);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Error, Message = "AuthKit's Redis store could not start; it works without Redis.")]
    private static partial void LogStartFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6008, Level = LogLevel.Warning, Message = "Reconciling AuthKit's Redis view failed ({Cause}); it is retried when Redis answers again.")]
    private static partial void LogReconcileFailed(ILogger logger, string cause);

    [LoggerMessage(EventId = 6009, Level = LogLevel.Warning, Message = "Ignored an unreadable message on AuthKit's Redis channel ({Cause}).")]
    private static partial void LogBadMessage(ILogger logger, string cause);
}
