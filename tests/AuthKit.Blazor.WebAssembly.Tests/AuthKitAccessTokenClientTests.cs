using System.Net;
using AuthKit.Blazor.WebAssembly.Tests.TestSupport;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace AuthKit.Blazor.WebAssembly.Tests;

public sealed class AuthKitAccessTokenClientTests : BunitContext
{
    private readonly FakeSessionEndpoint _endpoint = new();

    public AuthKitAccessTokenClientTests()
    {
        Services.AddAuthKitWebAssembly();
        Services.AddAuthKitAccessTokenAccess("/auth/token");
        Services.AddHttpClient(nameof(AuthKitAccessTokenClient)).ConfigurePrimaryHttpMessageHandler(() => _endpoint);
    }

    private AuthKitAccessTokenClient Client => Services.GetRequiredService<AuthKitAccessTokenClient>();

    [Fact]
    public async Task Posts_to_the_token_endpoint_with_the_anti_csrf_header_and_returns_the_token()
    {
        _endpoint.Answer = (HttpStatusCode.OK, """{"accessToken":"token-value","expiresAt":4102444800}""");

        var token = await Client.GetAccessTokenAsync();

        Assert.Equal("token-value", token);
        var request = Assert.Single(_endpoint.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(new Uri("http://localhost/auth/token"), request.RequestUri);
        Assert.Equal(AuthKitDefaults.CsrfHeaderValue, Assert.Single(request.Headers.GetValues(AuthKitDefaults.CsrfHeaderName)));
    }

    [Fact]
    public async Task Signed_out_is_null_and_other_failures_throw()
    {
        _endpoint.Answer = (HttpStatusCode.Unauthorized, """{"error":"unauthenticated"}""");
        Assert.Null(await Client.GetAccessTokenAsync());

        _endpoint.Answer = (HttpStatusCode.NotFound, "{}");
        await Assert.ThrowsAsync<HttpRequestException>(() => Client.GetAccessTokenAsync());

        _endpoint.Answer = (HttpStatusCode.OK, """{"expiresAt":1}""");
        await Assert.ThrowsAsync<HttpRequestException>(() => Client.GetAccessTokenAsync());
    }

    [Fact]
    public void Without_opting_in_there_is_no_token_client()
    {
        using var other = new BunitContext();
        other.Services.AddAuthKitWebAssembly();

        Assert.Null(other.Services.GetService<AuthKitAccessTokenClient>());
    }
}
