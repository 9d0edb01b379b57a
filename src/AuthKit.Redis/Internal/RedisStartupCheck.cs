using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Redis.Internal;

/// <summary>At start-up: starts the Redis store (connect, subscribe, reconcile in the background) and warns when the session store is shared but the data-protection key ring is not.</summary>
internal sealed partial class RedisStartupCheck(
    RedisSessionStore store,
    IOptions<RedisSessionStoreOptions> options,
    IOptions<KeyManagementOptions> keys,
    ILogger<RedisStartupCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        store.Start();
        if (options.Value.DataProtectionApplicationName is null && keys.Value.XmlRepository is null)
        {
            LogKeyRingNotShared(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 6006, Level = LogLevel.Warning, Message = "AuthKit's session store is shared through Redis, but this server's data-protection key ring is not: antiforgery tokens (the sign-out form) rendered by one server are refused by the others (400) and the user stays signed in. Keep the key ring in the same Redis (UseRedis(o => o.DataProtectionApplicationName = \"your-app\")) or persist it to a location every server shares (services.AddDataProtection().PersistKeysTo...().SetApplicationName(...)).")]
    private static partial void LogKeyRingNotShared(ILogger logger);
}
