using StackExchange.Redis;

namespace AuthKit.Redis.Internal;

/// <summary>
/// The multiplexer the store (and the key ring) use: the app's own (never disposed here), or one AuthKit connects from
/// <see cref="RedisSessionStoreOptions"/> with short timeouts, fail-fast commands while disconnected and background
/// reconnects (a Redis that is down at start-up costs one connect timeout, not a failed start).
/// </summary>
internal sealed class RedisConnection : IDisposable
{
    private readonly Lazy<IConnectionMultiplexer> _multiplexer;
    private readonly bool _owned;

    public RedisConnection(Func<IConnectionMultiplexer> factory, bool owned)
    {
        _multiplexer = new Lazy<IConnectionMultiplexer>(factory, LazyThreadSafetyMode.ExecutionAndPublication);
        _owned = owned;
    }

    public static RedisConnection FromOptions(RedisSessionStoreOptions options) =>
        new(() => ConnectionMultiplexer.Connect(ConfigurationFor(options)), owned: true);

    /// <summary>Connects (the first call, at most the connect timeout) and returns the multiplexer.</summary>
    public IConnectionMultiplexer Multiplexer => _multiplexer.Value;

    public bool IsCreated => _multiplexer.IsValueCreated;

    /// <summary>
    /// The multiplexer once it is connected, waiting up to <paramref name="patience"/> (the key ring is read once at
    /// start-up: it is worth waiting for a connection a busy machine is still opening, unlike a request).
    /// </summary>
    public IConnectionMultiplexer Connected(TimeSpan patience)
    {
        var multiplexer = Multiplexer;
        var deadline = Environment.TickCount64 + (long)patience.TotalMilliseconds;
        while (!multiplexer.IsConnected && Environment.TickCount64 < deadline)
        {
            Thread.Sleep(10);
        }

        return multiplexer;
    }

    internal static ConfigurationOptions ConfigurationFor(RedisSessionStoreOptions options)
    {
        var config = options.ConfigurationOptions?.Clone()
            ?? (options.Configuration is { Length: > 0 } text
                ? ConfigurationOptions.Parse(text)
                : throw new InvalidOperationException("AuthKit's Redis store has no connection: call UseRedis(\"host:port\") or set RedisSessionStoreOptions.Configuration (e.g. from ConnectionStrings:Redis)."));
        var connectMs = (int)Math.Clamp(options.ConnectTimeout.TotalMilliseconds, 1, int.MaxValue);
        var commandMs = (int)Math.Clamp(options.CommandTimeout.TotalMilliseconds, 1, int.MaxValue);
        config.AbortOnConnectFail = false;
        config.ConnectTimeout = connectMs;
        config.ConnectRetry = 1;
        config.SyncTimeout = commandMs;
        config.AsyncTimeout = commandMs;
        config.BacklogPolicy = BacklogPolicy.FailFast;
        config.ReconnectRetryPolicy = new ExponentialRetry(250, 2000);
        config.ClientName ??= "authkit";
        return config;
    }

    public void Dispose()
    {
        if (_owned && _multiplexer.IsValueCreated)
        {
            _multiplexer.Value.Dispose();
        }
    }
}
