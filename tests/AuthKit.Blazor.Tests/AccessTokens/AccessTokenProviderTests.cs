using AuthKit.Session;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AuthKit.Blazor.Tests.AccessTokens;

public sealed class AccessTokenProviderTests
{
    private sealed class CircuitState(AuthResult auth) : AuthenticationStateProvider, ICircuitAuthSource
    {
        public int Calls { get; private set; }

        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new AuthenticationState(AuthKitIdentity.CreatePrincipal(auth)));

        public ValueTask<AuthResult> GetCurrentAuthResultAsync(CancellationToken cancellationToken = default)
        {
            Calls++;
            return ValueTask.FromResult(auth);
        }
    }

    private sealed class NoStateProvider : AuthenticationStateProvider, ICircuitAuthSource
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => throw new InvalidOperationException("no state");

        public ValueTask<AuthResult> GetCurrentAuthResultAsync(CancellationToken cancellationToken = default) => throw new InvalidOperationException("no state");
    }

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public List<string?> Authorizations { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Authorizations.Add(request.Headers.Authorization?.ToString());
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
        }
    }

    private static (ServiceProvider Root, CapturingHandler Capture) BuildServices()
    {
        var capture = new CapturingHandler();
        var services = new ServiceCollection().AddLogging();
        services.AddHttpContextAccessor();
        services.AddSingleton<CircuitServicesAccessor>();
        services.AddScoped<IAccessTokenProvider, AuthKitAccessTokenProvider>();
        services.AddScoped<AuthenticationStateProvider, NoStateProvider>(); // what a handler's own scope sees
        services.AddHttpClient("api").AddAuthKitAccessToken().ConfigurePrimaryHttpMessageHandler(() => capture);
        return (services.BuildServiceProvider(), capture);
    }

    private static AuthResult Auth(string accessToken)
    {
        var auth = Identity.AuthKitIdentityTests.CreateAuth();
        var session = new AuthKit.Session.Session { AccessToken = accessToken, RefreshToken = "rt", User = auth.User! };
        return AuthResult.FromSession(session, auth.Claims!);
    }

    [Fact]
    public async Task Inside_a_circuit_each_request_carries_the_token_of_the_circuit_running_it()
    {
        var (root, capture) = BuildServices();
        var accessor = root.GetRequiredService<CircuitServicesAccessor>();
        var client = root.GetRequiredService<IHttpClientFactory>().CreateClient("api");
        var circuitA = new ServiceCollection().AddSingleton<AuthenticationStateProvider>(new CircuitState(Auth("token-a"))).BuildServiceProvider();
        var circuitB = new ServiceCollection().AddSingleton<AuthenticationStateProvider>(new CircuitState(Auth("token-b"))).BuildServiceProvider();

        await Task.Run(async () => { accessor.Services = circuitA; await client.GetAsync("http://api.example/x"); });
        await Task.Run(async () => { accessor.Services = circuitB; await client.GetAsync("http://api.example/x"); });
        await Task.Run(async () => { accessor.Services = circuitA; await client.GetAsync("http://api.example/x"); });

        Assert.Equal(["Bearer token-a", "Bearer token-b", "Bearer token-a"], capture.Authorizations);
    }

    [Fact]
    public async Task In_a_plain_HTTP_request_the_request_users_token_is_sent()
    {
        var (root, capture) = BuildServices();
        var client = root.GetRequiredService<IHttpClientFactory>().CreateClient("api");
        var httpContextAccessor = root.GetRequiredService<IHttpContextAccessor>();

        await Task.Run(async () =>
        {
            httpContextAccessor.HttpContext = new DefaultHttpContext { User = AuthKitIdentity.CreatePrincipal(Auth("request-token")) };
            await client.GetAsync("http://api.example/x");
        });
        await Task.Run(async () =>
        {
            httpContextAccessor.HttpContext = new DefaultHttpContext();
            await client.GetAsync("http://api.example/x");
        });

        Assert.Equal(["Bearer request-token", null], capture.Authorizations);
    }

    [Fact]
    public async Task An_explicit_Authorization_header_is_left_alone()
    {
        var (root, capture) = BuildServices();
        var client = root.GetRequiredService<IHttpClientFactory>().CreateClient("api");
        root.GetRequiredService<IHttpContextAccessor>().HttpContext = new DefaultHttpContext { User = AuthKitIdentity.CreatePrincipal(Auth("request-token")) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://api.example/x");
        request.Headers.Authorization = new("Basic", "abc");

        await client.SendAsync(request);

        Assert.Equal(["Basic abc"], capture.Authorizations);
    }
}
