using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace AuthKit.Benchmarks.Load;

/// <summary>A fixed-duration loopback load: <c>wrk</c> when installed (one thread), else an in-process HttpClient loop.</summary>
public sealed partial class LoadGenerator(int connections)
{
    public int Connections { get; } = connections;

    public static bool WrkAvailable => File.Exists("/usr/bin/wrk") || File.Exists("/usr/local/bin/wrk");

    public bool UseWrk { get; init; } = WrkAvailable;

    public string Name => UseWrk ? $"wrk -t1 -c{Connections}" : $"in-process HttpClient, {Connections} connections";

    public async Task<LoadResult> RunAsync(Uri url, string cookieHeader, TimeSpan duration)
    {
        return UseWrk ? await RunWrkAsync(url, cookieHeader, duration).ConfigureAwait(false) : await RunClientAsync(url, cookieHeader, duration).ConfigureAwait(false);
    }

    private async Task<LoadResult> RunWrkAsync(Uri url, string cookieHeader, TimeSpan duration)
    {
        var psi = new ProcessStartInfo(File.Exists("/usr/bin/wrk") ? "/usr/bin/wrk" : "/usr/local/bin/wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "-t1", $"-c{Connections}", $"-d{Math.Max(1, (int)duration.TotalSeconds)}s", "--latency", "-H", "Cookie: " + cookieHeader, url.ToString() })
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        var output = await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        var error = await process.StandardError.ReadToEndAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        var rps = RequestsPerSecond().Match(output);
        if (process.ExitCode != 0 || !rps.Success)
        {
            throw new InvalidOperationException($"wrk failed (exit {process.ExitCode}): {output} {error}");
        }

        var requests = RequestCount().Match(output);
        var non2xx = Non2xx().Match(output);
        var errors = SocketErrors().Match(output);
        return new LoadResult(
            double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture),
            requests.Success ? long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            (non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0) + (errors.Success ? 1 : 0));
    }

    private async Task<LoadResult> RunClientAsync(Uri url, string cookieHeader, TimeSpan duration)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Connections, UseCookies = false, AutomaticDecompression = DecompressionMethods.None };
        using var client = new HttpClient(handler);
        long ok = 0, failed = 0;
        var stopwatch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Connections).Select(async _ =>
        {
            while (stopwatch.Elapsed < duration)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.TryAddWithoutValidation("Cookie", cookieHeader);
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK) Interlocked.Increment(ref ok); else Interlocked.Increment(ref failed);
            }
        }).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
        var seconds = stopwatch.Elapsed.TotalSeconds;
        return new LoadResult(ok / seconds, ok + failed, failed);
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"([0-9]+) requests in")]
    private static partial Regex RequestCount();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+([0-9]+)")]
    private static partial Regex Non2xx();

    [GeneratedRegex(@"Socket errors:")]
    private static partial Regex SocketErrors();
}

public readonly record struct LoadResult(double RequestsPerSecond, long Requests, long Failures);
