using System.Diagnostics;
using System.Text.Json.Nodes;
using AuthKit.Benchmarks.Fixtures;
using AuthKit.Session;

namespace AuthKit.Benchmarks.Load;

/// <summary>
/// Item 7: N concurrent <see cref="AuthService{TRequest, TResponse}.WithAuthAsync"/> calls carrying the same expired
/// cookie, against the emulator over loopback HTTP (the real WorkOS client; the emulator runs in a child process, as
/// WorkOS would be another machine). Counts the upstream refresh calls (the emulator's refresh-grant count) and two
/// latencies per call: inside <c>WithAuthAsync</c> (call to answer), and from the moment all N were released (adds the
/// queueing of N tasks on this machine's cores). Compared with a lone request with an expired cookie through the same
/// harness (same service, task, gate and release; the median of the lone runs). A storm's p99 is taken per storm and summarised across storms (median, p90, worst); every request pooled is reported too.
/// </summary>
public static class RefreshStorm
{
    public static async Task<JsonObject> RunAsync(int[] sizes, int singles, Func<int, int> rounds, bool childProcess, int warmUpRefreshes = 100, int maxWarmUpRounds = 40)
    {
        await using var upstream = childProcess ? await StormUpstream.StartChildProcessAsync().ConfigureAwait(false) : await StormUpstream.StartInProcessAsync().ConfigureAwait(false);
        var options = BenchData.CreateOptions();
        upstream.ConfigureAuthKit(options);
        using var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) };
        var service = AuthService<string, object>.Create(() => options, o => new BenchCookieStorage(o), handler);
        var encryption = new SessionEncryption();

        async Task<string> ExpiredCookieAsync() => encryption.SealSession(await upstream.SignInAsync(expired: true).ConfigureAwait(false), BenchData.CookiePassword);

        // Warm-up: JIT, connection pool, JWKS fetch, the shared-flight paths.
        var warm = await service.WithAuthAsync(encryption.SealSession(await upstream.SignInAsync(expired: false).ConfigureAwait(false), BenchData.CookiePassword)).ConfigureAwait(false);
        if (!warm.Auth.IsAuthenticated) throw new InvalidOperationException("The emulator session is not accepted.");
        // Then rounds of lone refreshes and one storm of each size, each followed by a pause in which tiered JIT can
        // promote what the round ran, until a whole round compiles no new method in this process (at least 3 rounds).
        // A fixed warm-up was not enough: the first size measured after it ran ~2x slower than the same size measured
        // later, while hot methods were still being recompiled in the background on one of the two cores.
        var (warmUpRounds, settled, warmUpSeconds) = await JitWarmUp.RunAsync(async () =>
        {
            for (var i = 0; i < warmUpRefreshes; i++) await RefreshOnceAsync(service, await ExpiredCookieAsync().ConfigureAwait(false)).ConfigureAwait(false);
            foreach (var n in sizes) await StormAsync(service, await ExpiredCookieAsync().ConfigureAwait(false), n).ConfigureAwait(false);
        }, maxWarmUpRounds).ConfigureAwait(false);
        Console.WriteLine($"storm: warm-up {warmUpRounds} rounds in {warmUpSeconds:F1} s, JIT settled: {settled}");

        // The baseline: a lone request with an expired cookie through the same harness (a "storm" of one: task, gate,
        // release), measured in batches before each storm size so it covers the same period. Back-to-back calls on one
        // thread (no idle gap, no thread wake-up) are recorded too, for information.
        var single = new List<double>();
        var backToBack = new List<double>();
        async Task MeasureSinglesAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var lone = await StormAsync(service, await ExpiredCookieAsync().ConfigureAwait(false), 1).ConfigureAwait(false);
                if (lone[0].Result.RefreshedSessionData is null) throw new InvalidOperationException("A lone expired cookie was not refreshed.");
                single.Add(lone[0].InCallMs);
                backToBack.Add(await RefreshOnceAsync(service, await ExpiredCookieAsync().ConfigureAwait(false)).ConfigureAwait(false));
            }
        }

        var perBatch = Math.Max(1, singles / sizes.Length);
        var floors = new Dictionary<int, (double P50, double P99)>();
        var results = new List<(int N, int Rounds, List<double> InCall, List<double> FromRelease, List<int> RefreshCalls, int NotRefreshed, int DistinctSuccessors, List<double> StormP99, int Collected)>();
        foreach (var n in sizes)
        {
            await MeasureSinglesAsync(perBatch).ConfigureAwait(false);
            var inCall = new List<double>();
            var fromRelease = new List<double>();
            var refreshCalls = new List<int>();
            var notRefreshed = 0;
            var distinctSuccessors = 0;
            var stormP99 = new List<double>();
            var collected = 0;
            var count = rounds(n);
            for (var round = 0; round < count; round++)
            {
                var cookie = await ExpiredCookieAsync().ConfigureAwait(false);
                var before = await upstream.RefreshCallsAsync().ConfigureAwait(false);
                var collections = GC.CollectionCount(0);
                var calls = await StormAsync(service, cookie, n).ConfigureAwait(false);
                if (GC.CollectionCount(0) != collections) collected++;
                var callLatencies = calls.Select(c => c.InCallMs).ToList();
                stormP99.Add(Percentile(callLatencies, 0.99));
                refreshCalls.Add(await upstream.RefreshCallsAsync().ConfigureAwait(false) - before);
                inCall.AddRange(callLatencies);
                fromRelease.AddRange(calls.Select(c => c.FromReleaseMs));
                notRefreshed += calls.Count(c => !c.Result.Auth.IsAuthenticated || c.Result.RefreshedSessionData is null);
                distinctSuccessors = Math.Max(distinctSuccessors, calls.Where(c => c.Result.Auth.IsAuthenticated).Select(c => c.Result.Auth.RefreshToken).Distinct().Count());
            }

            results.Add((n, count, inCall, fromRelease, refreshCalls, notRefreshed, distinctSuccessors, stormP99, collected));
            var floor = new List<double>();
            for (var round = 0; round < count; round++)
            {
                floor.AddRange(await FloorAsync(n, TimeSpan.FromMilliseconds(HttpBenchmark.Median(single))).ConfigureAwait(false));
            }

            floors[n] = (Percentile(floor, 0.50), Percentile(floor, 0.99));
        }

        var singleMedian = HttpBenchmark.Median(single);
        var storms = new JsonArray();
        foreach (var (n, count, inCall, fromRelease, refreshCalls, notRefreshed, distinctSuccessors, stormP99, collected) in results)
        {
            var p50 = Percentile(inCall, 0.50);
            var p99 = Percentile(inCall, 0.99);
            var releaseP99 = Percentile(fromRelease, 0.99);
            Console.WriteLine($"storm: N={n}: refresh calls per storm {string.Join(",", refreshCalls)}, in-call p50 {p50:F2} ms p99 {p99:F2} ms, from release p99 {releaseP99:F2} ms (single {singleMedian:F2} ms)");
            storms.Add(new JsonObject
            {
                ["n"] = n,
                ["rounds"] = count,
                ["refreshCallsPerStorm"] = new JsonArray(refreshCalls.Select(c => (JsonNode)c).ToArray()),
                ["maxRefreshCalls"] = refreshCalls.Max(),
                ["minRefreshCalls"] = refreshCalls.Min(),
                ["p50Ms"] = p50,
                ["p99Ms"] = p99,
                ["maxMs"] = inCall.Max(),
                ["medianStormP99Ms"] = Percentile(stormP99, 0.50),
                ["p90StormP99Ms"] = Percentile(stormP99, 0.90),
                ["worstStormP99Ms"] = stormP99.Max(),
                ["stormsWithCollection"] = collected,
                ["fromReleaseP50Ms"] = Percentile(fromRelease, 0.50),
                ["harnessFloorP50Ms"] = floors[n].P50,
                ["harnessFloorP99Ms"] = floors[n].P99,
                ["fromReleaseP99Ms"] = releaseP99,
                ["notRefreshed"] = notRefreshed,
                ["distinctSuccessors"] = distinctSuccessors,
            });
        }

        return new JsonObject
        {
            ["upstream"] = childProcess ? "emulator in a child process" : "emulator in this process",
            ["warmUpRounds"] = warmUpRounds,
            ["warmUpSeconds"] = warmUpSeconds,
            ["jitSettled"] = settled,
            ["singleRefreshMedianMs"] = singleMedian,
            ["singleRefreshRuns"] = single.Count,
            ["singleRefreshP99Ms"] = Percentile(single, 0.99),
            ["backToBackSingleMedianMs"] = HttpBenchmark.Median(backToBack),
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

    private static Task<Call[]> StormAsync(AuthService<string, object> service, string cookie, int n) => StormAsync(_ => service, cookie, n);

    /// <summary>
    /// N tasks, each waiting at one gate, released together; request <c>i</c> calls <c>WithAuthAsync(cookie)</c> on
    /// <paramref name="serviceFor"/>(i) (one server, or the servers of the cross-server storm in turn).
    /// </summary>
    internal static async Task<Call[]> StormAsync(Func<int, AuthService<string, object>> serviceFor, string cookie, int n)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiting = 0;
        long released = 0;
        var tasks = new Task<Call>[n];
        for (var i = 0; i < n; i++)
        {
            var service = serviceFor(i);
            tasks[i] = Task.Run(async () =>
            {
                if (Interlocked.Increment(ref waiting) == n) ready.TrySetResult();
                await gate.Task.ConfigureAwait(false);
                var start = Stopwatch.GetTimestamp();
                var result = await service.WithAuthAsync(cookie).ConfigureAwait(false);
                var end = Stopwatch.GetTimestamp();
                return new Call(Stopwatch.GetElapsedTime(start, end).TotalMilliseconds, Stopwatch.GetElapsedTime(Volatile.Read(ref released), end).TotalMilliseconds, result);
            });
        }

        await ready.Task.ConfigureAwait(false); // every task is waiting at the gate (not part of any measurement)
        Volatile.Write(ref released, Stopwatch.GetTimestamp());
        gate.SetResult();
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    /// <summary>
    /// The harness without AuthKit: N tasks started, gated and released the same way, each awaiting one shared task that
    /// completes after <paramref name="work"/> (a stand-in for the shared refresh). Its latencies are what scheduling N
    /// tasks costs on this machine.
    /// </summary>
    private static async Task<double[]> FloorAsync(int n, TimeSpan work)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var shared = new Lazy<Task>(() => Task.Run(() => { var until = Stopwatch.GetTimestamp() + (long)(work.TotalSeconds * Stopwatch.Frequency); while (Stopwatch.GetTimestamp() < until) { Thread.SpinWait(20); } }));
        var waiting = 0;
        var tasks = new Task<double>[n];
        for (var i = 0; i < n; i++)
        {
            tasks[i] = Task.Run(async () =>
            {
                if (Interlocked.Increment(ref waiting) == n) ready.TrySetResult();
                await gate.Task.ConfigureAwait(false);
                var start = Stopwatch.GetTimestamp();
                await shared.Value.ConfigureAwait(false);
                return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            });
        }

        await ready.Task.ConfigureAwait(false);
        gate.SetResult();
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    public static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    /// <summary>One storm request: its time in <c>WithAuthAsync</c>, its time from the release of all N, and its result.</summary>
    internal readonly record struct Call(double InCallMs, double FromReleaseMs, WithAuthResult Result);
}
