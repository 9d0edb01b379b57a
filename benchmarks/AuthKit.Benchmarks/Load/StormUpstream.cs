using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AuthKit.Benchmarks.Fixtures;
using AuthKit.Session;
using AuthKit.Testing;

namespace AuthKit.Benchmarks.Load;

/// <summary>The emulator the refresh storm talks to: in this process, or in a child process (so upstream work does not share our thread pool).</summary>
public abstract class StormUpstream : IAsyncDisposable
{
    public abstract Uri BaseUri { get; }

    public void ConfigureAuthKit(AuthKitOptions options)
    {
        options.ClientId = "client_emulator";
        options.ApiKey = "sk_test_emulator";
        options.ApiHostname = BaseUri.Host;
        options.ApiHttps = false;
        options.ApiPort = BaseUri.Port;
    }

    /// <summary>A new session for alice in Acme; <paramref name="expired"/> signs it in 10 minutes ago (5 min tokens), so its access token expired 5 minutes ago.</summary>
    public abstract Task<AuthKit.Session.Session> SignInAsync(bool expired);

    public abstract Task<int> RefreshCallsAsync();

    public abstract ValueTask DisposeAsync();

    public static async Task<StormUpstream> StartInProcessAsync() => new InProcess(await WorkOSEmulator.StartAsync().ConfigureAwait(false));

    /// <summary>Runs <c>AuthKit.Benchmarks emulator-serve</c> as a child process and drives it over its <c>/_emulator</c> control API.</summary>
    public static async Task<StormUpstream> StartChildProcessAsync()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(typeof(StormUpstream).Assembly.Location);
        psi.ArgumentList.Add("emulator-serve");
        psi.ArgumentList.Add("-");
        var process = Process.Start(psi)!;
        var line = await process.StandardOutput.ReadLineAsync().ConfigureAwait(false);
        if (line is null || !Uri.TryCreate(line.Trim(), UriKind.Absolute, out var baseUri))
        {
            process.Kill();
            throw new InvalidOperationException($"emulator-serve did not print its address (got '{line}').");
        }

        return new ChildProcess(process, baseUri);
    }

    /// <summary>The child side: starts an emulator, prints its base URI, runs until stdin closes.</summary>
    public static async Task<int> ServeAsync()
    {
        await using var emulator = await WorkOSEmulator.StartAsync().ConfigureAwait(false);
        Console.WriteLine(emulator.BaseUri);
        Console.Out.Flush();
        while (await Console.In.ReadLineAsync().ConfigureAwait(false) is not null)
        {
        }

        return 0;
    }

    private sealed class InProcess(WorkOSEmulator emulator) : StormUpstream
    {
        public override Uri BaseUri => emulator.BaseUri;

        public override Task<AuthKit.Session.Session> SignInAsync(bool expired)
        {
            if (expired) emulator.SetClockOffset(TimeSpan.FromMinutes(-10));
            try
            {
                return Task.FromResult(emulator.SignIn("alice@example.com", "org_acme").ToSession());
            }
            finally
            {
                emulator.SetClockOffset(TimeSpan.Zero);
            }
        }

        public override Task<int> RefreshCallsAsync() => Task.FromResult(emulator.RequestCounts.RefreshToken);

        public override ValueTask DisposeAsync() => emulator.DisposeAsync();
    }

    private sealed class ChildProcess : StormUpstream
    {
        private readonly Process _process;
        private readonly HttpClient _control;

        public ChildProcess(Process process, Uri baseUri)
        {
            _process = process;
            BaseUri = baseUri;
            _control = new HttpClient { BaseAddress = baseUri };
            _control.DefaultRequestHeaders.Authorization = new("Bearer", "sk_test_emulator");
        }

        public override Uri BaseUri { get; }

        public override async Task<AuthKit.Session.Session> SignInAsync(bool expired)
        {
            if (expired) await PostAsync("/_emulator/clock", new JsonObject { ["offset_seconds"] = -600 }).ConfigureAwait(false);
            try
            {
                var body = await PostAsync("/_emulator/sign-in", new JsonObject { ["email"] = "alice@example.com", ["organization_id"] = "org_acme" }).ConfigureAwait(false);
                var session = BenchData.CreateSession(0, body["access_token"]!.GetValue<string>());
                session.RefreshToken = body["refresh_token"]!.GetValue<string>();
                session.User.Id = body["user_id"]!.GetValue<string>();
                return session;
            }
            finally
            {
                if (expired) await PostAsync("/_emulator/clock", new JsonObject { ["offset_seconds"] = 0 }).ConfigureAwait(false);
            }
        }

        public override async Task<int> RefreshCallsAsync()
        {
            var counts = await _control.GetFromJsonAsync<JsonObject>("/_emulator/counts").ConfigureAwait(false);
            return counts!["refresh_token"]!.GetValue<int>();
        }

        private async Task<JsonObject> PostAsync(string path, JsonObject body)
        {
            using var response = await _control.PostAsJsonAsync(path, body).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<JsonObject>().ConfigureAwait(false))!;
        }

        public override async ValueTask DisposeAsync()
        {
            _control.Dispose();
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }

            _process.Dispose();
        }
    }
}
