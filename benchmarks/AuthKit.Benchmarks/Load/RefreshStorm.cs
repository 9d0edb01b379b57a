using System.Diagnostics;
using System.Text.Json.Nodes;
using AuthKit.Benchmarks.Fixtures;
using AuthKit.Session;
using AuthKit.Testing;

namespace AuthKit.Benchmarks.Load;

/// <summary>
/// Item 7: N concurrent <see cref="AuthService{TRequest, TResponse}.WithAuthAsync"/> calls carrying the same expired
/// cookie, against the emulator over loopback HTTP (the real WorkOS client). Counts the upstream refresh calls (the
/// emulator's refresh-token grant count) and the latency of every call measured from the moment all N are released
/// (so queueing on this 2-core machine counts), compared with a lone refresh.
/// </summary>
public static class RefreshStorm
{
    public static async Task<JsonObject> RunAsync(int[] sizes, int singles, int rounds)
    {
        await using var emulator = await WorkOSEmulator.StartAsync().ConfigureAwait(false);
        var options = BenchData.CreateOptions();
        emulator.ConfigureAuthKit(options);
        using var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) };
        var service = AuthService<string, object>.Create(() => options, o => new BenchCookieStorage(o), handler);
        var encryption = new SessionEncryption();

        string ExpiredCookie()
        {
            emulator.SetClockOffset(TimeSpan.FromMinutes(-10)); // issued 10 min ago, 5 min lifetime: expired 5 min ago
            var session = emulator.SignIn("alice@example.com", "org_acme").ToSession();
            emulator.SetClockOffset(TimeSpan.Zero);
            return encryption.SealSession(session, BenchData.CookiePassword);
        }

        // Warm-up: JIT, connection pool, JWKS fetch.
        var warm = await service.WithAuthAsync(encryption.SealSession(emulator.SignIn("alice@example.com", "org_acme").ToSession(), BenchData.CookiePassword)).ConfigureAwait(false);
        if (!warm.Auth.IsAuthenticated) throw new InvalidOperationException("The emulator session is not accepted.");
        for (var i = 0; i < 5; i++) await RefreshOnceAsync(service, ExpiredCookie()).ConfigureAwait(false);

        var single = new List<double>();
        for (var i = 0; i < singles; i++)
        {
            single.Add(await RefreshOnceAsync(service, ExpiredCookie()).ConfigureAwait(false));
        }

        var singleMedian = HttpBenchmark.Median(single);
        var storms = new JsonArray();
        foreach (var n in sizes)
        {
            var latencies = new List<double>();
            var refreshCalls = new List<int>();
            var anonymous = 0;
            var distinctSuccessors = 0;
            for (var round = 0; round < rounds; round++)
            {
                var cookie = ExpiredCookie();
                var before = emulator.RequestCounts.RefreshToken;
                var (times, results) = await StormAsync(service, cookie, n).ConfigureAwait(false);
                refreshCalls.Add(emulator.RequestCounts.RefreshToken - before);
                latencies.AddRange(times);
                anonymous += results.Count(r => !r.Auth.IsAuthenticated || r.RefreshedSessionData is null);
                distinctSuccessors = Math.Max(distinctSuccessors, results.Where(r => r.Auth.IsAuthenticated).Select(r => r.Auth.RefreshToken).Distinct().Count());
            }

            var p50 = Percentile(latencies, 0.50);
            var p99 = Percentile(latencies, 0.99);
            Console.WriteLine($"storm: N={n}: refresh calls per storm {string.Join(",", refreshCalls)}, p50 {p50:F2} ms, p99 {p99:F2} ms (single {singleMedian:F2} ms)");
            storms.Add(new JsonObject
            {
                ["n"] = n,
                ["rounds"] = rounds,
                ["refreshCallsPerStorm"] = new JsonArray(refreshCalls.Select(c => (JsonNode)c).ToArray()),
                ["maxRefreshCalls"] = refreshCalls.Max(),
                ["minRefreshCalls"] = refreshCalls.Min(),
                ["p50Ms"] = p50,
                ["p99Ms"] = p99,
                ["maxMs"] = latencies.Max(),
                ["notRefreshed"] = anonymous,
                ["distinctSuccessors"] = distinctSuccessors,
            });
        }

        return new JsonObject
        {
            ["singleRefreshMedianMs"] = singleMedian,
            ["singleRefreshRuns"] = singles,
            ["storms"] = storms,
        };
    }

    private static async Task<double> RefreshOnceAsync(AuthService<string, object> service, string cookie)
    {
        var start = Stopwatch.GetTimestamp();
        var result = await service.WithAuthAsync(cookie).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (result.RefreshedSessionData is null) throw new InvalidOperationException("A lone expired cookie was not refreshed.");
        return elapsed;
    }

    private static async Task<(double[] Times, WithAuthResult[] Results)> StormAsync(AuthService<string, object> service, string cookie, int n)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long released = 0;
        var tasks = new Task<(double, WithAuthResult)>[n];
        for (var i = 0; i < n; i++)
        {
            tasks[i] = Task.Run(async () =>
            {
                await gate.Task.ConfigureAwait(false);
                var result = await service.WithAuthAsync(cookie).ConfigureAwait(false);
                return (Stopwatch.GetElapsedTime(Volatile.Read(ref released)).TotalMilliseconds, result);
            });
        }

        await Task.Delay(50).ConfigureAwait(false); // let every task reach the gate (not a measurement)
        Volatile.Write(ref released, Stopwatch.GetTimestamp());
        gate.SetResult();
        var done = await Task.WhenAll(tasks).ConfigureAwait(false);
        return (done.Select(d => d.Item1).ToArray(), done.Select(d => d.Item2).ToArray());
    }

    public static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
