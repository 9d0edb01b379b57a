using AuthKit.Redis.Internal;
using AuthKit.Redis.Tests.TestSupport;
using AuthKit.Session;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using StackExchange.Redis;

namespace AuthKit.Redis.Tests;

/// <summary><c>AddAuthKit().UseRedis(...)</c>: what it registers, the key ring in Redis, and the start-up warning.</summary>
[Collection(RedisCollection.Name)]
public sealed class UseRedisTests(SharedRedis redis)
{
    private readonly string _prefix = SharedRedis.NewPrefix();

    private static ServiceCollection Services()
    {
        var services = new ServiceCollection();
        services.AddFakeLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        return services;
    }

    private static async Task StartHostedServicesAsync(IServiceProvider provider)
    {
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task UseRedis_with_a_connection_string_replaces_the_in_memory_store()
    {
        var services = Services();
        services.AddAuthKit().UseRedis(redis.Address);
        await using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<ISessionStore>();

        Assert.IsType<RedisSessionStore>(store);
        Assert.True(store.IsShared);
        Assert.Same(store, provider.GetRequiredService<ISessionStore>());
    }

    [Fact]
    public async Task UseRedis_with_the_apps_multiplexer_uses_it_and_leaves_it_open()
    {
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(redis.Address);
        var services = Services();
        services.AddSingleton<IConnectionMultiplexer>(multiplexer);
        services.Configure<RedisSessionStoreOptions>(o => o.KeyPrefix = _prefix);
        services.AddAuthKit().UseRedis(sp => sp.GetRequiredService<IConnectionMultiplexer>());
        var provider = services.BuildServiceProvider();
        var store = (RedisSessionStore)provider.GetRequiredService<ISessionStore>();
        store.Start();
        await Eventually.TrueAsync(() => store.IsSynced, "the store is synced");

        await store.MarkEndedAsync("sid_1", TimeSpan.FromMinutes(1));
        var written = await multiplexer.GetDatabase().KeyExistsAsync(_prefix + "ended:sid_1");
        await provider.DisposeAsync();

        Assert.True(written);
        Assert.True(multiplexer.IsConnected); // AuthKit did not dispose the app's multiplexer
        await multiplexer.DisposeAsync();
    }

    [Fact]
    public async Task With_an_application_name_the_key_ring_lives_in_Redis_so_another_server_unprotects_what_one_protected()
    {
        ServiceProvider Server()
        {
            var services = Services();
            services.AddAuthKit().UseRedis(o =>
            {
                o.Configuration = redis.Address;
                o.KeyPrefix = _prefix;
                o.DataProtectionApplicationName = "authkit-tests";
            });
            return services.BuildServiceProvider();
        }

        await using var a = Server();
        await using var b = Server();
        await StartHostedServicesAsync(a);

        var protectedByA = a.GetRequiredService<IDataProtectionProvider>().CreateProtector("antiforgery").Protect("token");
        var unprotectedByB = b.GetRequiredService<IDataProtectionProvider>().CreateProtector("antiforgery").Unprotect(protectedByA);

        Assert.Equal("token", unprotectedByB);
        Assert.True(await Stores.Database(redis.Address).KeyExistsAsync(_prefix + "data-protection-keys"));
        Assert.DoesNotContain(a.GetRequiredService<FakeLogCollector>().GetSnapshot(), r => r.Id.Id == 6006);
    }

    [Fact]
    public async Task A_shared_store_with_a_key_ring_of_its_own_logs_a_clear_warning_at_start()
    {
        var services = Services();
        services.AddAuthKit().UseRedis(o =>
        {
            o.Configuration = redis.Address;
            o.KeyPrefix = _prefix;
        });
        await using var provider = services.BuildServiceProvider();

        await StartHostedServicesAsync(provider);

        var warning = Assert.Single(provider.GetRequiredService<FakeLogCollector>().GetSnapshot(), r => r.Id.Id == 6006);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("DataProtectionApplicationName", warning.Message, StringComparison.Ordinal);
    }
}
