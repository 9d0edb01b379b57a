using System.Globalization;
using System.Text.Json.Nodes;
using AuthKit.Benchmarks.Fixtures;
using AuthKit.Redis.Tests.TestSupport;
using AuthKit.Session;
using AuthKit.Testing;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace AuthKit.Benchmarks.Load;

/// <summary>
/// Item R: requests/s of the same <c>[Authorize]</c> endpoint on two AuthKit hosts in this process, one with the default
/// in-memory store and one with <c>UseRedis(...)</c> on a redis-server this benchmark starts (loopback, no persistence),
/// rounds alternating; and the Redis commands the Redis host sent during its rounds (<c>INFO commandstats</c>, the
/// connection's housekeeping excluded) per request.
/// </summary>
public static class RedisHttpBenchmark
{
    private static readonly string[] Housekeeping = ["info", "ping", "echo", "client", "cluster", "config", "subscribe", "hello", "select"];

    public static async Task<JsonObject> RunAsync(TimeSpan duration, int rounds, LoadGenerator load)
    {
        using var redis = await RedisServerProcess.StartAsync().ConfigureAwait(false);
        await using var emulator = await WorkOSEmulator.StartAsync(new WorkOSEmulatorOptions { AccessTokenLifetime = TimeSpan.FromHours(2) }).ConfigureAwait(false);
        var session = emulator.SignIn("alice@example.com", "org_acme").ToSession();
        var cookie = "wos-session=" + new SessionEncryption().SealSession(session, BenchData.CookiePassword);
        void AuthKit(IServiceCollection services, bool useRedis)
        {
            var builder = services.AddAuthKit(o =>
            {
                emulator.ConfigureAuthKit(o);
                o.RedirectUri = "http://127.0.0.1/callback";
                o.CookiePassword = BenchData.CookiePassword;
            });
            if (useRedis)
            {
                builder.UseRedis(redis.Address);
            }
        }

        await using var memoryApp = await HttpBenchmark.StartAsync(s => AuthKit(s, useRedis: false)).ConfigureAwait(false);
        await using var redisApp = await HttpBenchmark.StartAsync(s => AuthKit(s, useRedis: true)).ConfigureAwait(false);
        await HttpBenchmark.EnsureSignedInAsync(memoryApp.BaseUri, cookie).ConfigureAwait(false);
        await HttpBenchmark.EnsureSignedInAsync(redisApp.BaseUri, cookie).ConfigureAwait(false);
        var memoryUrl = new Uri(memoryApp.BaseUri, HttpBenchmark.Path);
        var redisUrl = new Uri(redisApp.BaseUri, HttpBenchmark.Path);
        var warmUp = duration < TimeSpan.FromSeconds(2) ? duration : TimeSpan.FromSeconds(2);
        await load.RunAsync(memoryUrl, cookie, warmUp).ConfigureAwait(false);
        await load.RunAsync(redisUrl, cookie, warmUp).ConfigureAwait(false);

        using var admin = await ConnectionMultiplexer.ConnectAsync(redis.Address + ",allowAdmin=true").ConfigureAwait(false);
        var server = admin.GetServer(redis.Address);
        var memoryRps = new List<double>();
        var redisRps = new List<double>();
        long redisRequests = 0, redisCommands = 0, failures = 0;
        for (var round = 0; round < rounds; round++)
        {
            var m = await load.RunAsync(memoryUrl, cookie, duration).ConfigureAwait(false);
            var before = DataCommands(await server.InfoAsync("commandstats").ConfigureAwait(false));
            var r = await load.RunAsync(redisUrl, cookie, duration).ConfigureAwait(false);
            var after = DataCommands(await server.InfoAsync("commandstats").ConfigureAwait(false));
            memoryRps.Add(m.RequestsPerSecond);
            redisRps.Add(r.RequestsPerSecond);
            redisRequests += r.Requests;
            redisCommands += after - before;
            failures += m.Failures + r.Failures;
            Console.WriteLine($"redis-http: round {round + 1}: in-memory store {m.RequestsPerSecond:F0} req/s, Redis store {r.RequestsPerSecond:F0} req/s, {after - before} Redis commands");
        }

        return new JsonObject
        {
            ["loadGenerator"] = load.Name,
            ["secondsPerRun"] = duration.TotalSeconds,
            ["rounds"] = rounds,
            ["memoryRps"] = HttpBenchmark.Median(memoryRps),
            ["redisRps"] = HttpBenchmark.Median(redisRps),
            ["redisRequests"] = redisRequests,
            ["redisCommands"] = redisCommands,
            ["failures"] = failures,
            ["redisVersion"] = server.Version.ToString(),
        };
    }

    private static long DataCommands(IGrouping<string, KeyValuePair<string, string>>[] info) =>
        info.SelectMany(g => g)
            .Where(p => p.Key.StartsWith("cmdstat_", StringComparison.Ordinal) && !Housekeeping.Any(h => p.Key.StartsWith("cmdstat_" + h, StringComparison.Ordinal)))
            .Sum(p => long.Parse(p.Value.Split(',')[0].Split('=')[1], CultureInfo.InvariantCulture));
}
