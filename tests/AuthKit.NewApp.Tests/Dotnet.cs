using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AuthKit.E2E.Tests;

namespace AuthKit.NewApp.Tests;

/// <summary>
/// Runs the <c>dotnet</c> CLI (and programs it installed) as child processes with a clean environment: nothing of the
/// machine's WORKOS_*/AuthKit settings, nothing of the MSBuild/VSTest state of the <c>dotnet test</c> that runs us,
/// no build servers left behind.
/// </summary>
public static class Dotnet
{
    /// <summary>The <c>dotnet</c> host running these tests.</summary>
    public static string HostPath { get; } = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>A start info for <paramref name="fileName"/> in <paramref name="workingDirectory"/> with the cleaned environment plus <paramref name="environment"/>.</summary>
    public static ProcessStartInfo StartInfo(string fileName, string workingDirectory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(IsInherited).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private static bool IsInherited(string name) =>
        name.StartsWith("WORKOS_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("AuthKit__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase)
        || name is "ASPNETCORE_URLS" or "ASPNETCORE_HTTP_PORTS" or "HTTP_PORTS" or "ASPNETCORE_ENVIRONMENT" or "DOTNET_ENVIRONMENT" or "DOTNET_LAUNCH_PROFILE";

    /// <summary>Runs <c>dotnet <paramref name="arguments"/></c> to completion (bounded); throws with the whole output on a non-zero exit.</summary>
    public static async Task<string> RunAsync(string workingDirectory, IReadOnlyList<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var output = new ConcurrentQueue<string>();
        using var process = new Process { StartInfo = StartInfo(HostPath, workingDirectory, arguments, environment) };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue("[stderr] " + e.Data); };
        var stopwatch = Stopwatch.StartNew();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds} s.{Environment.NewLine}{string.Join(Environment.NewLine, output)}");
        }

        process.WaitForExit(); // drains the redirected output
        var text = string.Join(Environment.NewLine, output);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} (in {workingDirectory}) exited with {process.ExitCode}.{Environment.NewLine}{text}");
        }

        return $"$ dotnet {string.Join(' ', arguments)}   [{stopwatch.Elapsed.TotalSeconds:F1} s]{Environment.NewLine}{text}";
    }

    /// <summary>A loopback TCP port that was free a moment ago.</summary>
    public static int GetFreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A long-running child process (the app, the emulator tool): output captured, killed with its tree on dispose.</summary>
public sealed class RunningProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private RunningProcess(ChildProcess process) => _process = process;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output => _process.Output;

    /// <summary>Starts <paramref name="start"/>.</summary>
    public static RunningProcess Start(ProcessStartInfo start) => new(ChildProcess.Start(start));

    /// <summary>Waits (polling, bounded) until the output contains <paramref name="text"/>; throws when the process exits first.</summary>
    public Task WaitForOutputAsync(string text, TimeSpan timeout) => _process.WaitForOutputAsync(text, timeout);

    /// <summary>Waits (polling, bounded) until GET <paramref name="uri"/> answers 200.</summary>
    public async Task WaitUntilServingAsync(Uri uri, TimeSpan timeout)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
        using var deadline = new CancellationTokenSource(timeout);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        string last = "no answer";
        do
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {_process.ExitCode} during start-up.{Environment.NewLine}{Output}");
            }

            try
            {
                using var response = await http.GetAsync(uri, deadline.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                last = $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        while (await WaitAsync(poll, deadline.Token));

        throw new TimeoutException($"{uri} did not answer 200 within {timeout.TotalSeconds} s ({last}).{Environment.NewLine}{Output}");
    }

    private static async Task<bool> WaitAsync(PeriodicTimer poll, CancellationToken token)
    {
        try
        {
            return await poll.WaitForNextTickAsync(token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Kills the process and its children and waits for them.</summary>
    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
