using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

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

    /// <summary>The process id (to signal it).</summary>
    public int Id => _process.Id;

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

    /// <summary><c>dotnet <paramref name="assemblyPath"/> <paramref name="arguments"/></c> run from the assembly's folder, its output redirected (for <see cref="Start"/>).</summary>
    public static ProcessStartInfo Dotnet(string assemblyPath, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assemblyPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assemblyPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

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
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The process did not exit within {timeout}.{Environment.NewLine}{Output}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>
    /// Waits (polling, bounded) until the output contains <paramref name="text"/>; returns the output so far. Throws when
    /// the process exits first or the time runs out, with the output.
    /// </summary>
    public async Task<string> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        await WaitForOutputAsync(new Regex(Regex.Escape(text)), timeout);
        return Output;
    }

    /// <summary>As <see cref="WaitForOutputAsync(string, TimeSpan)"/>, until the output matches <paramref name="pattern"/>; returns the match.</summary>
    public async Task<Match> WaitForOutputAsync(Regex pattern, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (true)
        {
            if (pattern.Match(Output) is { Success: true } match)
            {
                return match;
            }

            if (_process.HasExited)
            {
                _process.WaitForExit(); // its last lines
                if (pattern.Match(Output) is { Success: true } last)
                {
                    return last;
                }

                throw new InvalidOperationException($"The process exited with code {_process.ExitCode} before printing '{pattern}'.{Environment.NewLine}{Output}");
            }

            try
            {
                await poll.WaitForNextTickAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The process did not print '{pattern}' within {timeout}.{Environment.NewLine}{Output}");
            }
        }
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
