using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace AuthKit.Redis.Tests.TestSupport;

/// <summary>
/// A real redis-server of the test's own (loopback, free port, own temp dir, no persistence), which fault tests pause
/// (SIGSTOP), resume (SIGCONT), kill and restart on the same port. The binary is <c>AUTHKIT_TEST_REDIS_SERVER</c>, else
/// <c>redis-server</c> on the PATH (test.sh installs Debian's).
/// </summary>
internal sealed partial class RedisServerProcess : IDisposable
{
    private const int SIGSTOP = 19;
    private const int SIGCONT = 18;
    private readonly string _directory = Directory.CreateTempSubdirectory("authkit-redis-").FullName;
    private Process? _process;

    private RedisServerProcess(int port) => Port = port;

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public static async Task<RedisServerProcess> StartAsync()
    {
        var server = new RedisServerProcess(FreePort());
        await server.StartProcessAsync();
        return server;
    }

    public static string Binary()
    {
        if (Environment.GetEnvironmentVariable("AUTHKIT_TEST_REDIS_SERVER") is { Length: > 0 } configured)
        {
            return configured;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':').Append("/usr/bin").Append("/usr/local/bin"))
        {
            var candidate = Path.Combine(dir, "redis-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("redis-server was not found: run ./test.sh (it installs Debian's redis-server) or `apt-get install redis-server`, or set AUTHKIT_TEST_REDIS_SERVER.");
    }

    public async Task StartProcessAsync()
    {
        var info = new ProcessStartInfo(Binary())
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _directory, "--daemonize", "no" })
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"redis-server exited with {_process.ExitCode}");
                }

                await Task.Delay(20);
            }
        }

        throw new TimeoutException("redis-server did not listen within 10 s");
    }

    public void Pause() => Signal(SIGSTOP);

    public void Resume() => Signal(SIGCONT);

    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    public async Task RestartAsync()
    {
        Kill();
        await StartProcessAsync();
    }

    private void Signal(int signal)
    {
        if (_process is null || kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"could not signal redis-server ({Marshal.GetLastPInvokeError()})");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (_process is { } process)
        {
            try
            {
                if (!process.HasExited)
                {
                    kill(process.Id, SIGCONT);
                    process.Kill();
                    process.WaitForExit();
                }
            }
            catch (InvalidOperationException)
            {
                // already gone
            }

            process.Dispose();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
