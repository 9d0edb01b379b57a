using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuthKit.Blazor.Tests.Circuits;

public sealed class CircuitRegistrationTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_circuit_gets_the_AuthKit_provider_whether_razor_components_are_added_before_or_after(bool razorFirst)
    {
        var services = new ServiceCollection();
        if (razorFirst)
        {
            AddRazor(services);
        }

        AddCircuit(services);
        if (!razorFirst)
        {
            AddRazor(services);
        }

        using var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();

        var state = scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        Assert.IsType<AuthKitAuthenticationStateProvider>(state);
        Assert.Same(state, scope.ServiceProvider.GetRequiredService<ICircuitAuthSource>());
        var handlers = scope.ServiceProvider.GetServices<CircuitHandler>().ToList();
        Assert.Single(handlers.OfType<AuthKitCircuitHandler>());
        // The accessor handler comes first (same Order), so its inbound activity wraps the lifecycle handler's.
        Assert.True(handlers.IndexOf(Assert.Single(handlers.OfType<CircuitServicesAccessorHandler>())) <
            handlers.IndexOf(handlers.OfType<AuthKitCircuitHandler>().Single()));
    }

    [Fact]
    public void Registering_twice_adds_nothing_twice()
    {
        var services = new ServiceCollection();
        AddCircuit(services);
        var count = services.Count;

        services.AddAuthKitCircuit();

        Assert.Equal(count, services.Count);
    }

    [Fact]
    public void A_plain_scope_without_razor_components_can_still_resolve_the_provider()
    {
        var services = new ServiceCollection();
        AddCircuit(services);
        using var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();

        var state = scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();

        Assert.IsType<AuthKitAuthenticationStateProvider>(state);
    }

    [Fact]
    public async Task Each_circuit_runs_its_own_instance_of_a_scoped_claims_transformation()
    {
        var services = new ServiceCollection();
        services.AddAuthentication(); // registers ASP.NET Core's singleton no-op; the app's scoped one replaces it
        services.AddScoped<IClaimsTransformation, RecordingClaimsTransformation>();
        AddCircuit(services);
        using var root = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        using var first = root.CreateScope();
        using var second = root.CreateScope();

        await RefreshOnceAsync(first.ServiceProvider);
        await RefreshOnceAsync(second.ServiceProvider);

        var firstTransformation = Assert.IsType<RecordingClaimsTransformation>(first.ServiceProvider.GetRequiredService<IClaimsTransformation>());
        var secondTransformation = Assert.IsType<RecordingClaimsTransformation>(second.ServiceProvider.GetRequiredService<IClaimsTransformation>());
        Assert.NotSame(firstTransformation, secondTransformation);
        Assert.Single(firstTransformation.Calls);
        Assert.Single(secondTransformation.Calls);
        var state = await first.ServiceProvider.GetRequiredService<AuthenticationStateProvider>().GetAuthenticationStateAsync();
        Assert.True(state.User.IsInRole(RecordingClaimsTransformation.Role));
    }

    [Fact]
    public async Task Without_authentication_services_a_refresh_publishes_AuthKits_principal()
    {
        var services = new ServiceCollection();
        AddCircuit(services);
        using var root = services.BuildServiceProvider();
        using var scope = root.CreateScope();

        var refreshed = await RefreshOnceAsync(scope.ServiceProvider);

        var state = await scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>().GetAuthenticationStateAsync();
        Assert.IsType<AuthKitIdentity>(Assert.Single(state.User.Identities));
        Assert.Same(refreshed, state.GetAuthResult());
    }

    // Signs the scope's provider in as the host does, then lets its coordinator answer one refresh.
    private static async Task<AuthKit.Session.AuthResult> RefreshOnceAsync(IServiceProvider scope)
    {
        var provider = Assert.IsType<AuthKitAuthenticationStateProvider>(scope.GetRequiredService<AuthenticationStateProvider>());
        var now = DateTimeOffset.UtcNow;
        provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(AuthKitIdentity.CreatePrincipal(TestAuth.Create(now, TimeSpan.FromMinutes(5))))));
        var refreshed = TestAuth.Create(now, TimeSpan.FromMinutes(5), tokenSuffix: "refreshed");
        Assert.IsType<FakeSessionCoordinator>(scope.GetRequiredService<IAuthKitSessionCoordinator>())
            .Enqueue(_ => RevalidationResult.Refreshed(refreshed, "sealed"));
        var result = await provider.Revalidator.RevalidateAsync(force: false);
        Assert.Equal(RevalidationOutcome.Refreshed, result.Outcome);
        return refreshed;
    }

    private static void AddCircuit(IServiceCollection services)
    {
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddOptions<AuthKitBlazorOptions>();
        services.AddScoped<IAuthKitSessionCoordinator, FakeSessionCoordinator>();
        services.AddAuthKitCircuit();
    }

    private static void AddRazor(IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
    }
}
