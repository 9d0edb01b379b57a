using System.Net;
using System.Net.Sockets;
using AuthKit.Session;

namespace AuthKit.Testing.Tests;

public class WorkOSEmulatorStartupTests
{
    [Fact]
    public async Task Starts_on_a_random_loopback_port_and_answers_health()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator, withApiKey: false);

        var response = await client.GetAsync("health");

        Assert.Equal("127.0.0.1", emulator.BaseUri.Host);
        Assert.NotEqual(0, emulator.Port);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (await TestSupport.JsonAsync(response)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Two_emulators_get_different_ports()
    {
        await using var first = await WorkOSEmulator.StartAsync();
        await using var second = await WorkOSEmulator.StartAsync();

        Assert.NotEqual(first.Port, second.Port);
    }

    [Fact]
    public async Task Listens_on_the_requested_port()
    {
        var free = new TcpListener(IPAddress.Loopback, 0);
        free.Start();
        var port = ((IPEndPoint)free.LocalEndpoint).Port;
        free.Stop();

        await using var emulator = await WorkOSEmulator.StartAsync(new WorkOSEmulatorOptions { Port = port });

        Assert.Equal(port, emulator.Port);
        Assert.Equal(new Uri($"http://127.0.0.1:{port}/"), emulator.BaseUri);
    }

    [Fact]
    public async Task Stops_listening_when_disposed()
    {
        var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);

        await emulator.DisposeAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("health"));
    }

    [Fact]
    public async Task ConfigureAuthKit_points_the_options_at_the_emulator()
    {
        await using var emulator = await WorkOSEmulator.StartAsync(new WorkOSEmulatorOptions { ClientId = "client_x", ApiKey = "sk_test_x" });
        var options = new AuthKitOptions { RedirectUri = "http://localhost/callback" };

        emulator.ConfigureAuthKit(options);

        Assert.Equal("client_x", options.ClientId);
        Assert.Equal("sk_test_x", options.ApiKey);
        Assert.Equal("127.0.0.1", options.ApiHostname);
        Assert.False(options.ApiHttps);
        Assert.Equal(emulator.Port, options.ApiPort);
        Assert.Equal("http://localhost/callback", options.RedirectUri);
    }

    [Fact]
    public async Task GetAuthKitConfiguration_returns_keys_under_the_section()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();

        var config = emulator.GetAuthKitConfiguration("WorkOS");

        Assert.Equal("client_emulator", config["WorkOS:ClientId"]);
        Assert.Equal("sk_test_emulator", config["WorkOS:ApiKey"]);
        Assert.Equal("127.0.0.1", config["WorkOS:ApiHostname"]);
        Assert.Equal("false", config["WorkOS:ApiHttps"]);
        Assert.Equal(emulator.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), config["WorkOS:ApiPort"]);
    }

    [Fact]
    public async Task Invalid_options_are_rejected_with_every_problem_listed()
    {
        var options = new WorkOSEmulatorOptions { ClientId = "", ApiKey = " ", AccessTokenLifetime = TimeSpan.Zero, AutoSignInEmail = "nobody@example.com" };

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => WorkOSEmulator.StartAsync(options));

        Assert.Contains("ClientId", ex.Message);
        Assert.Contains("ApiKey", ex.Message);
        Assert.Contains("AccessTokenLifetime", ex.Message);
        Assert.Contains("nobody@example.com", ex.Message);
    }

    [Fact]
    public async Task Unknown_paths_get_a_json_404()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);

        var response = await client.GetAsync("nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("entity_not_found", (await TestSupport.JsonAsync(response)).GetProperty("code").GetString());
    }
}
