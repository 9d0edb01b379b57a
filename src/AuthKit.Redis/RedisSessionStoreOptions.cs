using StackExchange.Redis;

namespace AuthKit.Redis;

/// <summary>Settings of the Redis session store (<c>AddAuthKit().UseRedis(...)</c>).</summary>
public sealed class RedisSessionStoreOptions
{
    /// <summary>The StackExchange.Redis connection string (e.g. <c>localhost:6379</c>), unless <see cref="ConfigurationOptions"/> is set. Ignored when the multiplexer comes from <c>UseRedis(sp =&gt; ...)</c>.</summary>
    public string? Configuration { get; set; }

    /// <summary>The StackExchange.Redis configuration (wins over <see cref="Configuration"/>); AuthKit applies its timeouts and fail-fast behaviour on a copy.</summary>
    public ConfigurationOptions? ConfigurationOptions { get; set; }

    /// <summary>Prefix of every key and of the pub/sub channel, so one Redis can serve several apps. Default <c>authkit:</c>.</summary>
    public string KeyPrefix { get; set; } = "authkit:";

    /// <summary>How long connecting may take before the store works without Redis (and retries in the background). Default 250 ms.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long one Redis command may take before the request goes on without it. Default 250 ms.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Consecutive failed commands that open the breaker (then no command is sent for <see cref="BreakDuration"/>). Default 2.</summary>
    public int FailuresToBreak { get; set; } = 2;

    /// <summary>How long the breaker stays open before one probe command is let through. Default 5 seconds.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Most ended sessions this server keeps in its local view. Past it the ones closest to expiry are dropped and a
    /// local miss asks Redis again (one command per check) until the view fits. Default 100,000.
    /// </summary>
    public int LocalViewSizeLimit { get; set; } = 100_000;

    /// <summary>Most recent rotations this server keeps in memory (older ones are read from Redis during a refresh). Default 10,000.</summary>
    public int RotationCacheSizeLimit { get; set; } = 10_000;

    /// <summary>
    /// When set, the data-protection key ring is kept in the same Redis (key <c>{KeyPrefix}data-protection-keys</c>) and
    /// this is the data-protection application name, so antiforgery tokens rendered by one server validate on every other.
    /// Default null: the app's own key-ring setup is left alone (a start-up warning says so when it is not shared).
    /// </summary>
    public string? DataProtectionApplicationName { get; set; }
}
