using System.Diagnostics;
using System.Text.Json.Nodes;
using AuthKit.Benchmarks.Fixtures;
using AuthKit.Session;
using AuthKit.Testing;
using Microsoft.Extensions.Options;

namespace AuthKit.Benchmarks.Load;

/// <summary>
/// Issue 4's figures: emulator start-up time (first start in this process, then the median of later starts) and
/// authenticate calls/s: concurrent workers, each with its own session, spending refresh tokens back to back through
/// the real <see cref="WorkOSUserManagementClient"/> over loopback HTTP (every call mints and RS256-signs a new token).
/// </summary>
public static class EmulatorBenchmark
{
    public static async Task<JsonObject> RunAsync(TimeSpan duration, int workers, int starts)
    {
        var sw = Stopwatch.StartNew();
        await using (var first = await WorkOSEmulator.StartAsync().ConfigureAwait(false))
        {
            sw.Stop();
        }

        var firstStartMs = sw.Elapsed.TotalMilliseconds;
        var later = new List<double>();
        for (var i = 0; i < starts; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await using var e = await WorkOSEmulator.StartAsync().ConfigureAwait(false);
            later.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        await using var emulator = await WorkOSEmulator.StartAsync().ConfigureAwait(false);
        var options = BenchData.CreateOptions();
        emulator.ConfigureAuthKit(options);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = workers };
        using var http = new HttpClient(handler);
        var client = new WorkOSUserManagementClient(http, Options.Create(options));
        var tokens = Enumerable.Range(0, workers).Select(_ => emulator.SignIn("alice@example.com", "org_acme").RefreshToken).ToArray();

        async Task<long> LoopAsync(int worker, TimeSpan length)
        {
            var calls = 0L;
            var stopwatch = Stopwatch.StartNew();
            while (stopwatch.Elapsed < length)
            {
                var response = await client.AuthenticateWithRefreshTokenAsync(tokens[worker], "org_acme", CancellationToken.None).ConfigureAwait(false);
                tokens[worker] = response.RefreshToken;
                calls++;
            }

            return calls;
        }

        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => LoopAsync(w, duration < TimeSpan.FromSeconds(1) ? duration : TimeSpan.FromSeconds(1)))).ConfigureAwait(false); // warm-up
        var before = emulator.RequestCounts;
        var measured = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, workers).Select(w => LoopAsync(w, duration))).ConfigureAwait(false);
        var seconds = measured.Elapsed.TotalSeconds;
        var after = emulator.RequestCounts;
        var calls = counts.Sum();
        Console.WriteLine($"emulator: first start {firstStartMs:F0} ms, later starts median {HttpBenchmark.Median(later):F1} ms, {calls / seconds:F0} authenticate calls/s");
        return new JsonObject
        {
            ["firstStartMs"] = firstStartMs,
            ["laterStartMedianMs"] = HttpBenchmark.Median(later),
            ["workers"] = workers,
            ["seconds"] = seconds,
            ["authenticateCalls"] = calls,
            ["authenticatePerSec"] = calls / seconds,
            ["emulatorCountedRefreshGrants"] = after.RefreshToken - before.RefreshToken,
            ["rejected"] = after.RejectedRefreshTokens - before.RejectedRefreshTokens,
        };
    }
}
