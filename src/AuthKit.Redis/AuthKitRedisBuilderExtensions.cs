using AuthKit.Redis;
using AuthKit.Redis.Internal;
using AuthKit.Session;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps AuthKit's shared session state in Redis (<c>AddAuthKit().UseRedis(...)</c>).</summary>
public static class AuthKitRedisBuilderExtensions
{
    /// <summary>
    /// Uses Redis at <paramref name="configuration"/> (a StackExchange.Redis connection string such as <c>localhost:6379</c>)
    /// for the refresh lease, rotations and ended sessions of every server, with a local view fed by pub/sub (no Redis
    /// command on a warm request), 250 ms timeouts and a breaker (see <see cref="RedisSessionStoreOptions"/>).
    /// </summary>
    public static IAuthKitBuilder UseRedis(this IAuthKitBuilder builder, string configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        return builder.UseRedis(o => o.Configuration = configuration);
    }

    /// <summary>Uses Redis, configured by <paramref name="configure"/> (set <see cref="RedisSessionStoreOptions.Configuration"/> or <see cref="RedisSessionStoreOptions.ConfigurationOptions"/>).</summary>
    public static IAuthKitBuilder UseRedis(this IAuthKitBuilder builder, Action<RedisSessionStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return AddStore(builder, static sp => RedisConnection.FromOptions(sp.GetRequiredService<IOptions<RedisSessionStoreOptions>>().Value));
    }

    /// <summary>
    /// Uses the app's own multiplexer (e.g. <c>sp =&gt; sp.GetRequiredService&lt;IConnectionMultiplexer&gt;()</c>); AuthKit
    /// never disposes it. Its own timeouts apply to it, and AuthKit still bounds each command by
    /// <see cref="RedisSessionStoreOptions.CommandTimeout"/>. Other settings: <c>services.Configure&lt;RedisSessionStoreOptions&gt;(...)</c>.
    /// </summary>
    public static IAuthKitBuilder UseRedis(this IAuthKitBuilder builder, Func<IServiceProvider, IConnectionMultiplexer> multiplexer)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(multiplexer);

        return AddStore(builder, sp => new RedisConnection(() => multiplexer(sp), owned: false));
    }

    private static IAuthKitBuilder AddStore(IAuthKitBuilder builder, Func<IServiceProvider, RedisConnection> connection)
    {
        var services = builder.Services;
        services.AddOptions<RedisSessionStoreOptions>();
        services.RemoveAll<RedisConnection>();
        services.AddSingleton(connection);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static sp => new RedisSessionStore(
            sp.GetRequiredService<RedisConnection>(), sp.GetRequiredService<IOptions<RedisSessionStoreOptions>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RedisSessionStore>>()));
        services.Replace(ServiceDescriptor.Singleton<ISessionStore>(static sp => sp.GetRequiredService<RedisSessionStore>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RedisStartupCheck>());

        // The key ring in the same Redis, when asked for (an application name), so antiforgery tokens validate on every server.
        services.AddDataProtection();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<KeyManagementOptions>, KeyRingInRedis>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<DataProtectionOptions>, KeyRingApplicationName>());
        return builder;
    }

    private sealed class KeyRingInRedis(IOptions<RedisSessionStoreOptions> options, IServiceProvider services) : IConfigureOptions<KeyManagementOptions>
    {
        public void Configure(KeyManagementOptions keys)
        {
            if (options.Value.DataProtectionApplicationName is not null)
            {
                var connection = services.GetRequiredService<RedisConnection>();
                keys.XmlRepository = new RedisXmlRepository(() => connection.Connected(TimeSpan.FromSeconds(5)).GetDatabase(), options.Value.KeyPrefix + "data-protection-keys");
            }
        }
    }

    private sealed class KeyRingApplicationName(IOptions<RedisSessionStoreOptions> options) : IConfigureOptions<DataProtectionOptions>
    {
        public void Configure(DataProtectionOptions dataProtection)
        {
            if (options.Value.DataProtectionApplicationName is { } name)
            {
                dataProtection.ApplicationDiscriminator = name;
            }
        }
    }
}
