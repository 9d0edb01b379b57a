using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AuthKit.Testing.Tests.Internal;

/// <summary>
/// The emulator answers only requests whose <c>Host</c> is loopback or allow-listed: a page on another origin whose
/// DNS name is rebound to 127.0.0.1 (DNS rebinding) reaches the port, but not the API, the sign-in page or <c>/_emulator</c>.
/// </summary>
public class HostFilteringTests
{
    public static TheoryData<string, string> ForeignHostRequests => new()
    {
        { "GET", "user_management/authorize?client_id=client_emulator&redirect_uri=http%3A%2F%2F127.0.0.1%3A5999%2Fcallback&response_type=code&provider=authkit&code_challenge=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&code_challenge_method=S256" },
        { "GET", "sso/jwks/client_emulator" },
        { "GET", "health" },
        { "GET", "_emulator" },
        { "POST", "_emulator/keys/rotate" },
        { "POST", "user_management/authenticate" },
    };

    [Theory]
    [MemberData(nameof(ForeignHostRequests))]
    public async Task A_foreign_host_is_answered_with_400_on_the_api_the_sign_in_page_and_the_control_surface(string method, string path)
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        var kid = emulator.CurrentSigningKeyId;
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Host = $"evil.example:{emulator.Port}";

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Host", body, StringComparison.Ordinal);
        Assert.DoesNotContain(emulator.ApiKey, body, StringComparison.Ordinal);
        Assert.Equal(kid, emulator.CurrentSigningKeyId);
        Assert.Equal(0, emulator.RequestCounts.Total);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("LocalHost:{port}")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:{port}")]
    [InlineData("127.10.20.30:{port}")]
    [InlineData("[::1]")]
    [InlineData("[::1]:{port}")]
    public async Task Loopback_hosts_are_answered(string host)
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        using var request = new HttpRequestMessage(HttpMethod.Get, "sso/jwks/" + emulator.ClientId);
        request.Headers.Host = host.Replace("{port}", emulator.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_host_in_AllowedRedirectHosts_is_answered_and_others_are_not()
    {
        await using var emulator = await WorkOSEmulator.StartAsync(new WorkOSEmulatorOptions { AllowedRedirectHosts = ["app.test"] });
        using var client = TestSupport.Client(emulator);

        using var allowed = await client.SendAsync(WithHost(new HttpRequestMessage(HttpMethod.Get, "_emulator"), "APP.test:8080"));
        using var other = await client.SendAsync(WithHost(new HttpRequestMessage(HttpMethod.Get, "_emulator"), "sub.app.test"));

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
    }

    [Fact]
    public async Task The_default_client_addressing_BaseUri_is_answered()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);

        using var response = await client.GetAsync("_emulator");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("GET /_emulator HTTP/1.1\r\nHost: evil.example\r\nAuthorization: Bearer sk_test_emulator\r\nConnection: close\r\n\r\n")]
    [InlineData("GET /sso/jwks/client_emulator HTTP/1.0\r\n\r\n")]
    public async Task A_raw_request_with_a_foreign_or_no_host_is_answered_with_400(string rawRequest)
    {
        await using var emulator = await WorkOSEmulator.StartAsync();

        var response = await SendRawAsync(emulator, rawRequest);

        Assert.StartsWith("HTTP/1.1 400 ", response, StringComparison.Ordinal);
        Assert.DoesNotContain("signing_key_id", response, StringComparison.Ordinal);
        Assert.DoesNotContain("\"keys\"", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_raw_request_with_a_loopback_host_is_answered()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();

        var response = await SendRawAsync(emulator, $"GET /sso/jwks/client_emulator HTTP/1.1\r\nHost: 127.0.0.1:{emulator.Port}\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200 ", response, StringComparison.Ordinal);
    }

    private static HttpRequestMessage WithHost(HttpRequestMessage request, string host)
    {
        request.Headers.Host = host;
        return request;
    }

    private static async Task<string> SendRawAsync(WorkOSEmulator emulator, string rawRequest)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, emulator.Port);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(rawRequest));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await reader.ReadToEndAsync(timeout.Token);
    }
}
