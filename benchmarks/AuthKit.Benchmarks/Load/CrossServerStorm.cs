using System.Diagnostics;
using System.Text.Json.Nodes;
using AuthKit.Benchmarks.Fixtures;
using AuthKit.Redis.Internal;
using AuthKit.Redis.Tests.TestSupport;
using AuthKit.Session;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AuthKit.Benchmarks.Load;

/// <summary>
/// Item R: the refresh storm of item 7 across servers. k AuthKit servers in this process, each its own host (own DI
/// container built with <c>AddAuthKit(...).UseRedis(address)</c>: own multiplexer, own local view, own engine and so own
/// in-process single flight and verified-session cache, own WorkOS connection pool), all on one redis-server this
/// benchmark starts; nothing else is shared in-process, and the emulator runs in a child process as in item 7. N
/// concurrent <see cref="AuthService{TRequest, TResponse}.WithAuthAsync"/> calls carrying one expired cookie are spread
/// round-robin over the k servers and released together (the same entry point, task, gate and release as item 7).
/// Counts the upstream refresh calls at the emulator (target exactly 1 per storm: one server holds the Redis lease,
/// the others wait for its rotation, pushed through pub/sub) and requests that were not authenticated, and compares each
/// storm's p99 with a lone refresh (a storm of one on one server with the same Redis store).
/// </summary>
public static class CrossServerStorm
{
    public const string EntryPoint = "`WithAuthAsync` on each server, the engine entry point of item 7";

    public static async Task<JsonObject> RunAsync(int[] servers, int[] sizes, int singles, Func<int, int, int> rounds, bool childProcess, int warmUpRefreshes = 50, int maxWarmUpRounds = 30)
    {
        using var redis = await RedisServerProcess.StartAsync().ConfigureAwait(false);
        await using var upstream = childProcess ? await StormUpstream.StartChildProcessAsync().ConfigureAwait(false) : await StormUpstream.StartInProcessAsync().ConfigureAwait(false);
        var hosts = new List<Server>();
        try
        {
            for (var i = 0; i < servers.Max(); i++)
            {
                hosts.Add(await Server.StartAsync(upstream, redis.Address).ConfigureAwait(false));
            }

            return await RunAsync(hosts, upstream, servers, sizes, singles, rounds, childProcess, warmUpRefreshes, maxWarmUpRounds).ConfigureAwait(false);
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<JsonObject> RunAsync(List<Server> hosts, StormUpstream upstream, int[] servers, int[] sizes, int singles, Func<int, int, int> rounds, bool childProcess, int warmUpRefreshes, int maxWarmUpRounds)
    {
        var encryption = new SessionEncryption();
        async Task<string> ExpiredCookieAsync() => encryption.SealSession(await upstream.SignInAsync(expired: true).ConfigureAwait(false), BenchData.CookiePassword);

        // Every server accepts a fresh session (JWKS fetched, connections open).
        foreach (var host in hosts)
        {
            var warm = await host.Service.WithAuthAsync(encryption.SealSession(await upstream.SignInAsync(expired: false).ConfigureAwait(false), BenchData.CookiePassword)).ConfigureAwait(false);
            if (!warm.Auth.IsAuthenticated) throw new InvalidOperationException("The emulator session is not accepted.");
        }

        // The settled warm-up of item 7: rounds of lone refreshes (on every server, so each one's refresh path is hot) and
        // one storm of each k and N, each followed by a pause for tiered JIT, until a round compiles nothing new.
        var (warmUpRounds, settled, warmUpSeconds) = await JitWarmUp.RunAsync(async () =>
        {
            for (var i = 0; i < warmUpRefreshes; i++) await StormAsync(hosts, 1, await ExpiredCookieAsync().ConfigureAwait(false), 1, first: i % hosts.Count).ConfigureAwait(false);
            foreach (var k in servers)
            {
                foreach (var n in sizes) await StormAsync(hosts, k, await ExpiredCookieAsync().ConfigureAwait(false), n).ConfigureAwait(false);
            }
        }, maxWarmUpRounds).ConfigureAwait(false);
        Console.WriteLine($"cross-storm: {hosts.Count} servers on one Redis, warm-up {warmUpRounds} rounds in {warmUpSeconds:F1} s, JIT settled: {settled}");

        // The baseline: a lone request with an expired cookie on one server (the first) with the same Redis store, through
        // the same harness (a storm of one), in batches before each storm configuration so it covers the same period.
        var single = new List<double>();
        var configurations = servers.SelectMany(k => sizes.Select(n => (K: k, N: n))).ToArray();
        var perBatch = Math.Max(1, singles / configurations.Length);
        var storms = new JsonArray();
        foreach (var (k, n) in configurations)
        {
            var batch = new List<double>();
            for (var i = 0; i < perBatch; i++)
            {
                var lone = await StormAsync(hosts, 1, await ExpiredCookieAsync().ConfigureAwait(false), 1).ConfigureAwait(false);
                if (lone[0].Result.RefreshedSessionData is null) throw new InvalidOperationException("A lone expired cookie was not refreshed.");
                single.Add(lone[0].InCallMs);
                batch.Add(lone[0].InCallMs);
            }

            var inCall = new List<double>();
            var fromRelease = new List<double>();
            var refreshCalls = new List<int>();
            var stormP99 = new List<double>();
            int notAuthenticated = 0, notRefreshed = 0, distinctSuccessors = 0, collected = 0;
            var count = rounds(k, n);
            for (var round = 0; round < count; round++)
            {
                var cookie = await ExpiredCookieAsync().ConfigureAwait(false);
                var before = await upstream.RefreshCallsAsync().ConfigureAwait(false);
                var collections = GC.CollectionCount(0);
                var calls = await StormAsync(hosts, k, cookie, n).ConfigureAwait(false);
                if (GC.CollectionCount(0) != collections) collected++;
                refreshCalls.Add(await upstream.RefreshCallsAsync().ConfigureAwait(false) - before);
                var latencies = calls.Select(c => c.InCallMs).ToList();
                stormP99.Add(RefreshStorm.Percentile(latencies, 0.99));
                inCall.AddRange(latencies);
                fromRelease.AddRange(calls.Select(c => c.FromReleaseMs));
                notAuthenticated += calls.Count(c => !c.Result.Auth.IsAuthenticated);
                notRefreshed += calls.Count(c => c.Result.Auth.IsAuthenticated && c.Result.RefreshedSessionData is null);
                distinctSuccessors = Math.Max(distinctSuccessors, calls.Where(c => c.Result.Auth.IsAuthenticated).Select(c => c.Result.Auth.RefreshToken).Distinct().Count());
            }

            var p50 = RefreshStorm.Percentile(inCall, 0.50);
            var p99 = RefreshStorm.Percentile(inCall, 0.99);
            Console.WriteLine($"cross-storm: k={k} N={n}: {count} storms, refresh calls per storm min {refreshCalls.Min()} max {refreshCalls.Max()}, not authenticated {notAuthenticated}, storm p99 median {RefreshStorm.Percentile(stormP99, 0.5):F2} ms p90 {RefreshStorm.Percentile(stormP99, 0.9):F2} ms (lone median of the batch before it {HttpBenchmark.Median(batch):F2} ms)");
            storms.Add(new JsonObject
            {
                ["servers"] = k,
                ["n"] = n,
                ["rounds"] = count,
                ["refreshCallsPerStorm"] = new JsonArray(refreshCalls.Select(c => (JsonNode)c).ToArray()),
                ["maxRefreshCalls"] = refreshCalls.Max(),
                ["minRefreshCalls"] = refreshCalls.Min(),
                ["notAuthenticated"] = notAuthenticated,
                ["notRefreshed"] = notRefreshed,
                ["distinctSuccessors"] = distinctSuccessors,
                ["p50Ms"] = p50,
                ["p99Ms"] = p99,
                ["maxMs"] = inCall.Max(),
                ["medianStormP99Ms"] = RefreshStorm.Percentile(stormP99, 0.50),
                ["p90StormP99Ms"] = RefreshStorm.Percentile(stormP99, 0.90),
                ["worstStormP99Ms"] = stormP99.Max(),
                ["stormsWithCollection"] = collected,
                ["fromReleaseP99Ms"] = RefreshStorm.Percentile(fromRelease, 0.99),
                ["loneBatchMedianMs"] = HttpBenchmark.Median(batch),
            });
        }

        return new JsonObject
        {
            ["upstream"] = childProcess ? "emulator in a child process" : "emulator in this process",
            ["entryPoint"] = EntryPoint,
            ["redisVersion"] = hosts[0].RedisVersion,
            ["warmUpRounds"] = warmUpRounds,
            ["warmUpSeconds"] = warmUpSeconds,
            ["jitSettled"] = settled,
            ["singleRefreshMedianMs"] = HttpBenchmark.Median(single),
            ["singleRefreshRuns"] = single.Count,
            ["singleRefreshP99Ms"] = RefreshStorm.Percentile(single, 0.99),
            ["storms"] = storms,
        };
    }

    /// <summary>
    /// N calls with one cookie, call i on server (<paramref name="first"/> + i) mod k, all started and waiting at one gate,
    /// then released together (the harness of item 7).
    /// </summary>
    private static Task<RefreshStorm.Call[]> StormAsync(List<Server> hosts, int k, string cookie, int n, int first = 0) =>
        RefreshStorm.StormAsync(i => hosts[(first + i) % k].Service, cookie, n);

    /// <summary>One AuthKit server: its own host and container, <c>AddAuthKit(...).UseRedis(address)</c>, the bench cookie storage.</summary>
    internal sealed class Server : IAsyncDisposable
    {
        private readonly IHost _host;

        private Server(IHost host)
        {
            _host = host;
            Service = host.Services.GetRequiredService<AuthService<string, object>>();
            Store = host.Services.GetRequiredService<RedisSessionStore>();
        }

        public AuthService<string, object> Service { get; }

        public IServiceProvider Services => _host.Services;

        internal RedisSessionStore Store { get; }

        public string RedisVersion { get; private set; } = "?";

        public static async Task<Server> StartAsync(StormUpstream upstream, string redisAddress)
        {
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            builder.Services.AddLogging();
            builder.Services.AddAuthKit(o =>
            {
                upstream.ConfigureAuthKit(o);
                o.RedirectUri = "http://127.0.0.1/callback";
                o.CookiePassword = BenchData.CookiePassword;
            }).UseRedis(redisAddress);
            builder.Services.AddSingleton<ISessionStorage<string, object>>(sp => new BenchCookieStorage(sp.GetRequiredService<IOptions<AuthKitOptions>>().Value));
            var host = builder.Build();
            await host.StartAsync().ConfigureAwait(false); // starts the Redis store: connect, subscribe, reconcile
            var server = new Server(host);
            await server.WaitUntilSyncedAsync().ConfigureAwait(false);
            return server;
        }

        /// <summary>Waits (bounded) until the store is subscribed and reconciled, as a server that has been up a moment.</summary>
        public async Task WaitUntilSyncedAsync()
        {
            var until = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
            while (!Store.IsSynced)
            {
                if (Stopwatch.GetTimestamp() > until) throw new TimeoutException("The Redis store did not subscribe and reconcile within 10 s.");
                await Task.Delay(10).ConfigureAwait(false);
            }

            var connection = _host.Services.GetRequiredService<RedisConnection>();
            RedisVersion = connection.Connected(TimeSpan.FromSeconds(5)).GetServers().FirstOrDefault()?.Version.ToString() ?? "?";
        }

        public async ValueTask DisposeAsync()
        {
            await _host.StopAsync().ConfigureAwait(false);
            if (_host is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                _host.Dispose();
            }
        }
    }
}
