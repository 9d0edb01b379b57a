using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using AuthKit.E2E.Tests;

namespace AuthKit.Testing.Tests;

/// <summary>
/// <c>tools/AuthKit.Emulator</c> (<c>authkit-emulator</c>) run as a real process on a free loopback port. Process tests poll
/// the child's output against a bounded real-time deadline; nothing sleeps.
/// </summary>
public sealed class EmulatorToolTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task On_start_it_prints_its_base_url_and_the_WORKOS_settings_an_app_needs()
    {
        var port = GetFreeLoopbackPort();
        await using var tool = EmulatorToolProcess.Start("--port", port.ToString(CultureInfo.InvariantCulture));

        var output = await tool.WaitForOutputAsync("Press Ctrl+C to stop.", StartTimeout);

        Assert.Contains($"listening on http://127.0.0.1:{port}/", output, StringComparison.Ordinal);
        Assert.Contains("export WORKOS_CLIENT_ID=client_emulator", output, StringComparison.Ordinal);
        Assert.Contains("export WORKOS_API_KEY=sk_test_emulator", output, StringComparison.Ordinal);
        Assert.Contains("export WORKOS_API_HOSTNAME=127.0.0.1", output, StringComparison.Ordinal);
        Assert.Contains("export WORKOS_API_HTTPS=false", output, StringComparison.Ordinal);
        Assert.Contains($"export WORKOS_API_PORT={port}", output, StringComparison.Ordinal);
        Assert.Contains("WORKOS_REDIRECT_URI and WORKOS_COOKIE_PASSWORD are the app's own", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task It_serves_the_jwks_for_the_client_id_it_was_given()
    {
        var port = GetFreeLoopbackPort();
        await using var tool = EmulatorToolProcess.Start("--port", port.ToString(CultureInfo.InvariantCulture), "--client-id", "client_tool", "--api-key", "sk_test_tool");
        await tool.WaitForOutputAsync("Press Ctrl+C to stop.", StartTimeout);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/sso/jwks/client_tool"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var jwks = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var key = Assert.Single(jwks.RootElement.GetProperty("keys").EnumerateArray());
        Assert.Equal("RS256", key.GetProperty("alg").GetString());
        Assert.Contains("export WORKOS_CLIENT_ID=client_tool", tool.Output, StringComparison.Ordinal);
        Assert.Contains("export WORKOS_API_KEY=sk_test_tool", tool.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task It_keeps_the_control_surface_behind_the_api_key()
    {
        var port = GetFreeLoopbackPort();
        await using var tool = EmulatorToolProcess.Start("--port", port.ToString(CultureInfo.InvariantCulture));
        await tool.WaitForOutputAsync("Press Ctrl+C to stop.", StartTimeout);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var control = new Uri($"http://127.0.0.1:{port}/_emulator");

        using var anonymous = await http.GetAsync(control);
        using var request = new HttpRequestMessage(HttpMethod.Get, control) { Headers = { Authorization = new("Bearer", "sk_test_emulator") } };
        using var authorized = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
    }

    [Fact]
    public async Task It_starts_with_a_seed_loaded_from_a_json_file()
    {
        var seedFile = Path.Combine(Path.GetTempPath(), $"authkit-emulator-seed-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(seedFile, """
            {
              "roles": [{ "slug": "member" }],
              "users": [{ "id": "user_dana", "email": "dana@example.com", "password": "pw" }],
              "organizations": [{ "id": "org_one", "name": "One", "memberships": [{ "user_id": "user_dana" }] }]
            }
            """);
        try
        {
            var port = GetFreeLoopbackPort();
            await using var tool = EmulatorToolProcess.Start("--port", port.ToString(CultureInfo.InvariantCulture), "--seed", seedFile);
            await tool.WaitForOutputAsync("Press Ctrl+C to stop.", StartTimeout);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://127.0.0.1:{port}/_emulator/sign-in"))
            {
                Headers = { Authorization = new("Bearer", "sk_test_emulator") },
                Content = new StringContent("""{"email":"dana@example.com"}""", System.Text.Encoding.UTF8, "application/json"),
            };

            using var response = await http.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            File.Delete(seedFile);
        }
    }

    [Fact]
    public async Task Sigterm_stops_it_with_exit_code_zero_within_ten_seconds()
    {
        var port = GetFreeLoopbackPort();
        await using var tool = EmulatorToolProcess.Start("--port", port.ToString(CultureInfo.InvariantCulture));
        await tool.WaitForOutputAsync("Press Ctrl+C to stop.", StartTimeout);

        await tool.SendSigtermAsync();
        var exitCode = await tool.WaitForExitAsync(TimeSpan.FromSeconds(10));

        Assert.True(exitCode == 0, $"exit code {exitCode}{Environment.NewLine}{tool.Output}");
        Assert.Contains("authkit-emulator: stopped", tool.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_that_is_not_a_number_exits_with_code_two_and_an_error()
    {
        await using var tool = EmulatorToolProcess.Start("--port", "abc");

        var exitCode = await tool.WaitForExitAsync(StartTimeout);

        Assert.Equal(2, exitCode);
        Assert.Contains("[stderr] authkit-emulator: --port must be a number from 0 to 65535 (got 'abc').", tool.Output, StringComparison.Ordinal);
        Assert.Contains("[stderr] Usage: authkit-emulator", tool.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_seed_file_exits_with_code_two_and_an_error()
    {
        await using var tool = EmulatorToolProcess.Start("--port", "0", "--seed", "/nonexistent/seed.json");

        var exitCode = await tool.WaitForExitAsync(StartTimeout);

        Assert.Equal(2, exitCode);
        Assert.Contains("[stderr] authkit-emulator: cannot load --seed '/nonexistent/seed.json'", tool.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_prints_the_usage_and_exits_with_code_zero()
    {
        await using var tool = EmulatorToolProcess.Start("--help");

        var exitCode = await tool.WaitForExitAsync(StartTimeout);

        Assert.Equal(0, exitCode);
        Assert.Contains("Usage: authkit-emulator", tool.Output, StringComparison.Ordinal);
        Assert.Contains("--seed demo|FILE.json", tool.Output, StringComparison.Ordinal);
    }

    private static int GetFreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The built <c>AuthKit.Emulator.dll</c> as a child process (<see cref="ChildProcess"/>), which the tests also stop with SIGTERM.</summary>
    private sealed class EmulatorToolProcess : IAsyncDisposable
    {
        private readonly ChildProcess _process;

        private EmulatorToolProcess(ChildProcess process) => _process = process;

        public string Output => _process.Output;

        public static EmulatorToolProcess Start(params string[] args) =>
            new(ChildProcess.Start(ChildProcess.Dotnet(
                ChildProcess.BuiltFile("EmulatorToolPath", "build tests/AuthKit.Testing.Tests (it builds tools/AuthKit.Emulator)"), args)));

        /// <summary>Waits (bounded) until the output contains <paramref name="text"/>; returns the output so far.</summary>
        public Task<string> WaitForOutputAsync(string text, TimeSpan timeout) => _process.WaitForOutputAsync(text, timeout);

        /// <summary>Sends SIGTERM (<c>Process.Kill</c> would send SIGKILL) through <c>/bin/kill</c>.</summary>
        public async Task SendSigtermAsync()
        {
            using var kill = Process.Start(new ProcessStartInfo("/bin/kill") { ArgumentList = { "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
            await kill.WaitForExitAsync();
            Assert.Equal(0, kill.ExitCode);
        }

        /// <summary>Waits (bounded) for the process to exit and drains its output; returns the exit code.</summary>
        public Task<int> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

        public ValueTask DisposeAsync() => _process.DisposeAsync();
    }
}
