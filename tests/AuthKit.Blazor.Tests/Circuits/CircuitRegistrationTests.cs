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
        Assert.Single(scope.ServiceProvider.GetServices<CircuitHandler>().OfType<AuthKitCircuitHandler>());
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
