using System.Diagnostics;
using System.Runtime.InteropServices;
using AuthKit.Benchmarks.Fixtures;
using AuthKit.Benchmarks.Micro;

namespace AuthKit.Benchmarks;

/// <summary>Diagnostics for development: per-thread CPU time of the cold-path pieces (less sensitive to a loaded machine than wall time).</summary>
internal static partial class Probe
{
    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec { public long Sec; public long Nsec; }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec ts);

    private static double CpuUs() { ClockGetTime(3, out var t); return t.Sec * 1e6 + t.Nsec / 1e3; }

    private static async Task<double> Measure(int n, Func<int, ValueTask> op)
    {
        var start = CpuUs();
        for (var i = 0; i < n; i++) await op(i);
        return (CpuUs() - start) / n;
    }

    public static async Task<int> RunAsync()
    {
        using var data = BenchData.Create();
        using var stack = new AuthKitStack(data);
        const int N = 512;
        var cookies = data.CreateCookies(N, TimeSpan.FromHours(1));
        var tokens = cookies.Select(c => stack.Encryption.UnsealSession(c, BenchData.CookiePassword).AccessToken).ToArray();
        var sessions = cookies.Select(c => stack.Encryption.UnsealSession(c, BenchData.CookiePassword)).ToArray();
        var handler = TokenBenchmarks.CreateBareHandler();
        var p = TokenBenchmarks.CreateBareParameters(data);
        await stack.CreateService().WithAuthAsync(cookies[0]);
        var warm = stack.CreateService();
        await warm.WithAuthAsync(cookies[0]);
        for (var round = 0; round < 4; round++)
        {
            var svc = stack.CreateService();
            var nocache = stack.CreateService(new AuthKit.Session.AuthKitCoreOptions { VerifiedSessionCacheSize = 0 });
            var r = new Dictionary<string, double>
            {
                ["cold WithAuth"] = await Measure(N, async i => await svc.WithAuthAsync(cookies[i])),
                ["cold engine, cache off"] = await Measure(N, async i => await nocache.Engine.ResolveCookieAsync(cookies[i], TimeSpan.Zero, default)),
                ["unseal+bare"] = await Measure(N, async i => await handler.ValidateTokenAsync(stack.Encryption.UnsealSession(cookies[i], BenchData.CookiePassword).AccessToken, p)),
                ["unseal"] = await Measure(N, i => { stack.Encryption.UnsealSession(cookies[i], BenchData.CookiePassword); return ValueTask.CompletedTask; }),
                ["verifier"] = await Measure(N, async i => await stack.Verifier.ValidateAsync(tokens[i])),
                ["bare"] = await Measure(N, async i => await handler.ValidateTokenAsync(tokens[i], p)),
                ["claims parse"] = await Measure(N, i => { AuthKit.Session.AccessTokens.TryParseUnverified(tokens[i], out _); return ValueTask.CompletedTask; }),
                ["hash"] = await Measure(N, i => { AuthKit.Session.VerifiedSessionCache.CookieHash.Of(cookies[i]); return ValueTask.CompletedTask; }),
                ["core.Decrypt+verifier"] = await Measure(N, async i => await stack.Verifier.ValidateAsync(nocache.Core.DecryptSession(cookies[i]).AccessToken)),
                ["core.Decrypt+engine"] = await Measure(N, async i => await nocache.Engine.ResolveSessionAsync(nocache.Core.DecryptSession(cookies[i]), false, TimeSpan.Zero, default)),
                ["engine session only"] = await Measure(N, async i => await nocache.Engine.ResolveSessionAsync(sessions[i], false, TimeSpan.Zero, default)),
                ["warm WithAuth"] = await Measure(N, async i => await warm.WithAuthAsync(cookies[0])),
            };
            Console.WriteLine(string.Join(", ", r.Select(kv => $"{kv.Key} {kv.Value:F1}")));
        }

        return 0;
    }
}
