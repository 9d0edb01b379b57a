using AuthKit.Session.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Session.Tests.DependencyInjection;

public sealed class AuthKitSessionServiceCollectionExtensionsTests
{
    private static readonly Type[] CoreServices =
    [
        typeof(IWorkOSUserManagement), typeof(IAccessTokenVerifier), typeof(ISessionEncryption), typeof(AuthKitCore),
        typeof(TimeProvider), typeof(AuthService<,>),
    ];

    [Fact]
    public void Every_core_service_resolves()
    {
        using var provider = new ServiceCollection()
            .AddAuthKitSession(o => Copy(TestOptions.Create(), o))
            .AddSingleton<ISessionStorage<TestRequest, TestResponse>>(sp => new TestCookieStorage(sp.GetRequiredService<IOptions<AuthKitOptions>>().Value, false))
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.IsType<WorkOSUserManagementClient>(provider.GetRequiredService<IWorkOSUserManagement>());
        Assert.IsType<JwksAccessTokenVerifier>(provider.GetRequiredService<IAccessTokenVerifier>());
        Assert.IsType<SessionEncryption>(provider.GetRequiredService<ISessionEncryption>());
        Assert.Same(provider.GetRequiredService<AuthKitCore>(), provider.GetRequiredService<AuthKitCore>());
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
        Assert.NotNull(provider.GetRequiredService<AuthService<TestRequest, TestResponse>>());
        Assert.Equal(FakeWorkOS.ClientId, provider.GetRequiredService<IOptions<AuthKitOptions>>().Value.ClientId);
    }

    [Fact]
    public void Calling_it_twice_registers_nothing_twice()
    {
        var once = new ServiceCollection().AddAuthKitSession();
        var twice = new ServiceCollection().AddAuthKitSession().AddAuthKitSession();

        Assert.Equal(once.Count, twice.Count);
        foreach (var type in CoreServices)
        {
            Assert.Single(twice, d => d.ServiceType == type);
        }

        Assert.Single(twice, d => d.ServiceType == typeof(IPostConfigureOptions<AuthKitOptions>) && d.ImplementationFactory is not null);
        Assert.Single(twice, d => d.ServiceType == typeof(IValidateOptions<AuthKitOptions>) && d.ImplementationType == typeof(AuthKitOptionsValidator));
    }

    [Fact]
    public void The_applications_own_registrations_win()
    {
        var time = new FakeTimeProvider();
        var verifier = new StubVerifier();
        using var provider = new ServiceCollection()
            .AddSingleton<TimeProvider>(time)
            .AddSingleton<IAccessTokenVerifier>(verifier)
            .AddAuthKitSession(o => Copy(TestOptions.Create(), o))
            .BuildServiceProvider();

        Assert.Same(time, provider.GetRequiredService<TimeProvider>());
        Assert.Same(verifier, provider.GetRequiredService<IAccessTokenVerifier>());
        Assert.Same(time, provider.GetRequiredService<AuthKitCore>().TimeProvider);
    }

    [Fact]
    public void Missing_settings_fail_validation_naming_the_environment_variables()
    {
        using var provider = new ServiceCollection().AddAuthKitSession().BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AuthKitOptions>>().Value);

        Assert.Contains("WORKOS_CLIENT_ID", error.Message);
        Assert.Contains("WORKOS_COOKIE_PASSWORD", error.Message);
    }

    [Fact]
    public async Task The_named_http_client_carries_every_workos_call()
    {
        using var workos = new FakeWorkOS();
        var services = new ServiceCollection().AddAuthKitSession(o => Copy(TestOptions.Create(), o));
        services.AddSingleton<TimeProvider>(workos.Time);
        services.AddHttpClient(AuthKitSessionServiceCollectionExtensions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => workos);
        using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<SessionResolver>();
        var (access, refresh, _) = workos.CreateSession("user_alice", "org_acme");
        var session = new Session { AccessToken = access, RefreshToken = refresh, User = new WorkOSUser { Id = "user_alice", Email = "alice@example.com" } };

        var valid = await engine.ValidateAndRefreshAsync(session);
        var refreshed = await engine.RefreshAsync(session);

        Assert.False(valid.Refreshed);
        Assert.True(refreshed.Refreshed);
        Assert.Equal(1, workos.JwksRequests);
        Assert.Equal(1, workos.RefreshRequests);
    }

    [Fact]
    public async Task The_lazy_stand_alone_service_validates_on_first_use()
    {
        var service = AuthService<TestRequest, TestResponse>.Create(
            () => new AuthKitOptions { ClientId = "client_1" },
            o => new TestCookieStorage(o, false));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => service.CreateSignInAsync(null));

        Assert.Contains("WORKOS_API_KEY", error.Message);
    }

    private static void Copy(AuthKitOptions from, AuthKitOptions to)
    {
        to.ClientId = from.ClientId;
        to.ApiKey = from.ApiKey;
        to.RedirectUri = from.RedirectUri;
        to.CookiePassword = from.CookiePassword;
        to.ApiHostname = from.ApiHostname;
    }

    private sealed class StubVerifier : IAccessTokenVerifier
    {
        public ValueTask<AccessTokenValidation> ValidateAsync(string accessToken, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(AccessTokenValidation.Failed(AccessTokenFailure.Malformed));
    }
}
