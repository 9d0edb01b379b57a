using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;

namespace AuthKit.E2E.Tests;

/// <summary>A child process whose stdout and stderr are captured line by line, killed with its tree on dispose.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ChildProcess(Process process) => _process = process;

    /// <summary>Everything the process wrote to stdout and stderr so far (stderr lines prefixed).</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>How many lines written so far contain <paramref name="fragment"/>.</summary>
    public int CountLines(string fragment) => _output.Count(line => line.Contains(fragment, StringComparison.Ordinal));

    /// <summary>
    /// The file the test assembly's <c>AssemblyMetadata</c> <paramref name="key"/> names (a program the test project
    /// builds); throws, saying what builds it, when it is not there.
    /// </summary>
    public static string BuiltFile(string key, string builtBy)
    {
        var path = typeof(ChildProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
        return File.Exists(path) ? path : throw new InvalidOperationException($"{Path.GetFileName(path)} is not built at {path}; {builtBy}.");
    }

    /// <summary><c>dotnet <paramref name="assemblyPath"/></c> run from the assembly's folder, its output redirected (for <see cref="Start"/>).</summary>
    public static ProcessStartInfo Dotnet(string assemblyPath)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assemblyPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assemblyPath);
        return start;
    }

    /// <summary>Starts <paramref name="start"/> (its output must be redirected) and begins capturing.</summary>
    public static ChildProcess Start(ProcessStartInfo start)
    {
        var child = new ChildProcess(new Process { StartInfo = start });
        child._process.OutputDataReceived += (_, e) => { if (e.Data is not null) child._output.Enqueue(e.Data); };
        child._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) child._output.Enqueue("[stderr] " + e.Data); };
        child._process.Start();
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for the process to exit and its redirected output to drain.</summary>
    public void WaitForExit() => _process.WaitForExit();

    /// <summary>Waits (bounded) for the process to exit and its redirected output to drain; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>What the process wrote to stdout only (lines joined with new lines).</summary>
    public string StandardOutput => string.Join(Environment.NewLine, _output.Where(line => !line.StartsWith("[stderr] ", StringComparison.Ordinal)));

    /// <summary>Kills the process (and its tree) and waits for it to exit.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
        finally
        {
            _process.Dispose();
        }
    }
}
