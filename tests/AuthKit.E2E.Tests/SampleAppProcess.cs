using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AuthKit.E2E.Tests;

/// <summary>
/// Runs the built sample (<c>BlazorApp.dll</c>) as a child process on a free loopback port — in dev mode (the built-in
/// WorkOS emulator on a second free port), or as one of several Production servers pointed at a standalone emulator —
/// captures its output, and kills it on dispose.
/// </summary>
public sealed class SampleAppProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(90);

    private readonly ChildProcess _process;

    private SampleAppProcess(ProcessStartInfo start, Uri baseUri, Uri emulatorUri)
    {
        _process = ChildProcess.Start(start);
        BaseUri = baseUri;
        EmulatorUri = emulatorUri;
    }

    /// <summary>The sample's origin, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUri { get; }

    /// <summary>The emulator's origin (its <c>/_emulator/...</c> control surface lives here).</summary>
    public Uri EmulatorUri { get; }

    /// <summary>Everything the app wrote to stdout and stderr so far.</summary>
    public string Output => _process.Output;

    /// <summary>How many lines the app wrote so far contain <paramref name="fragment"/>.</summary>
    public int CountOutputLines(string fragment) => _process.CountLines(fragment);

    /// <summary>Starts the sample and waits (bounded) until it answers HTTP requests.</summary>
    public static async Task<SampleAppProcess> StartAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken = default)
    {
        var appPort = GetFreeLoopbackPort();
        var emulatorPort = GetFreeLoopbackPort(except: appPort);
        var baseUri = new Uri($"http://127.0.0.1:{appPort}/");
        var emulatorUri = new Uri($"http://127.0.0.1:{emulatorPort}/");
        var start = CreateStartInfo(baseUri, "Development", environment);
        start.Environment["AuthKit__Emulator__Port"] = emulatorPort.ToString(System.Globalization.CultureInfo.InvariantCulture);

        return await StartAndWaitAsync(start, baseUri, emulatorUri, checkEmulator: true, cancellationToken);
    }

    /// <summary>
    /// Starts the sample in Production as one of several servers on a free loopback port: <paramref name="environment"/>
    /// carries the <c>WORKOS_*</c> settings of the standalone emulator at <paramref name="emulatorUri"/> (no dev mode), and
    /// <paramref name="home"/> becomes its <c>HOME</c>, so nothing (the default key ring under <c>~/.aspnet</c>) is shared
    /// with other servers through the disk. Waits (bounded) until it answers HTTP requests.
    /// </summary>
    public static async Task<SampleAppProcess> StartServerAsync(Uri emulatorUri, string home, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken = default)
    {
        var baseUri = new Uri($"http://127.0.0.1:{GetFreeLoopbackPort()}/");
        var start = CreateStartInfo(baseUri, "Production", environment);
        start.Environment["HOME"] = home;
        return await StartAndWaitAsync(start, baseUri, emulatorUri, checkEmulator: false, cancellationToken);
    }

    private static async Task<SampleAppProcess> StartAndWaitAsync(ProcessStartInfo start, Uri baseUri, Uri emulatorUri, bool checkEmulator, CancellationToken cancellationToken)
    {
        var app = new SampleAppProcess(start, baseUri, emulatorUri);
        try
        {
            await app.WaitUntilReadyAsync(checkEmulator, cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }

    /// <summary>Starts the sample in <paramref name="environmentName"/> and waits (bounded) for it to exit by itself.</summary>
    /// <returns>The exit code and everything it wrote; a null exit code when it started serving or was still running at the deadline (it is then killed).</returns>
    public static async Task<(int? ExitCode, string Output)> RunUntilExitAsync(string environmentName, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var baseUri = new Uri($"http://127.0.0.1:{GetFreeLoopbackPort()}/");
        await using var app = new SampleAppProcess(CreateStartInfo(baseUri, environmentName, environment), baseUri, baseUri);
        using var deadline = new CancellationTokenSource(timeout);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            // Done when it exits, or as soon as it reports that it started (then it is not going to fail at start-up).
            while (!app._process.HasExited && !app.Output.Contains("Application started", StringComparison.Ordinal))
            {
                await poll.WaitForNextTickAsync(deadline.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }

        if (!app._process.HasExited)
        {
            return (null, app.Output);
        }

        app._process.WaitForExit(); // drains the redirected output
        return (app._process.ExitCode, app.Output);
    }

    private static ProcessStartInfo CreateStartInfo(Uri baseUri, string environmentName, IReadOnlyDictionary<string, string> environment)
    {
        var start = ChildProcess.Dotnet(ChildProcess.BuiltFile("SampleAppPath", "build tests/AuthKit.E2E.Tests (it builds the sample)"), "--urls", baseUri.ToString().TrimEnd('/'));

        // No WorkOS settings may leak in from the machine running the tests.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("WORKOS_", StringComparison.OrdinalIgnoreCase) || k.StartsWith("AuthKit__", StringComparison.OrdinalIgnoreCase) || k is "ASPNETCORE_URLS" or "ASPNETCORE_HTTP_PORTS" or "HTTP_PORTS" or "DOTNET_ENVIRONMENT").ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = environmentName;
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private async Task WaitUntilReadyAsync(bool checkEmulator, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartupTimeout);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        Exception? last = null;
        try
        {
            do
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"The sample exited with code {_process.ExitCode} during start-up.{Environment.NewLine}{Output}");
                }

                try
                {
                    using var app = await http.GetAsync(BaseUri, timeout.Token);
                    using var emulator = checkEmulator ? await http.GetAsync(new Uri(EmulatorUri, "health"), timeout.Token) : null;
                    if (app.StatusCode == HttpStatusCode.OK && emulator?.IsSuccessStatusCode != false)
                    {
                        return;
                    }

                    last = new InvalidOperationException($"app: {(int)app.StatusCode}, emulator: {(int?)emulator?.StatusCode}");
                }
                catch (HttpRequestException ex)
                {
                    last = ex;
                }
            }
            while (await poll.WaitForNextTickAsync(timeout.Token));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        throw new TimeoutException($"The sample did not become ready within {StartupTimeout.TotalSeconds} s ({last?.Message}).{Environment.NewLine}{Output}");
    }

    internal static int GetFreeLoopbackPort(int except = 0)
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            if (port != except)
            {
                return port;
            }
        }
    }

    /// <summary>Kills the app (and its process tree) and waits for it to exit.</summary>
    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
