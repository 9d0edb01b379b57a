using AuthKit.Redis.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AuthKit.Redis.Tests.TestSupport;

/// <summary>
/// The Redis the integration tests share: <c>AUTHKIT_TEST_REDIS</c> (test.sh starts one), else a redis-server this fixture
/// starts itself, so the tests never skip. Each test uses its own key prefix.
/// </summary>
public sealed class SharedRedis : IAsyncLifetime
{
    private RedisServerProcess? _own;

    public string Address { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("AUTHKIT_TEST_REDIS") is { Length: > 0 } address)
        {
            Address = address;
            return;
        }

        _own = await RedisServerProcess.StartAsync();
        Address = _own.Address;
    }

    public Task DisposeAsync()
    {
        _own?.Dispose();
        return Task.CompletedTask;
    }

    internal static string NewPrefix() => "test:" + Guid.NewGuid().ToString("N")[..12] + ":";
}

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<SharedRedis>
{
    public const string Name = "redis";
}

/// <summary>Stores over real Redis, as separate servers would have them (each its own multiplexer).</summary>
internal static class Stores
{
    public static RedisSessionStoreOptions Options(string address, string prefix) => new() { Configuration = address, KeyPrefix = prefix };

    public static RedisSessionStore Create(RedisSessionStoreOptions options, TimeProvider? time = null)
    {
        var connection = RedisConnection.FromOptions(options);
        return new RedisSessionStore(connection, Microsoft.Extensions.Options.Options.Create(options), time ?? TimeProvider.System, NullLogger<RedisSessionStore>.Instance);
    }

    /// <summary>Starts the store and waits until it is subscribed and reconciled.</summary>
    public static async Task<RedisSessionStore> StartedAsync(RedisSessionStoreOptions options, TimeProvider? time = null)
    {
        var store = Create(options, time);
        store.Start();
        await Eventually.TrueAsync(() => store.IsSynced, "the store subscribed and reconciled");
        return store;
    }

    public static IDatabase Database(string address) => ConnectionMultiplexer.Connect(address).GetDatabase();
}

internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting until " + what);
            }

            await Task.Delay(10);
        }
    }

    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting until " + what);
            }

            await Task.Delay(20);
        }
    }
}
