using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection;

namespace AuthKit.Blazor.Tests.TestSupport;

/// <summary>
/// A simulated interactive circuit on an <see cref="AuthKitTestHost"/>: the circuit's DI scope, the AuthKit state
/// provider (with its revalidator) and circuit handler as <c>AddAuthKit()</c> registers them, started with the principal the host handed over
/// (the one the AuthKit scheme, and the app's claims transformation, built for the <c>_blazor</c> request).
/// </summary>
internal sealed class SimulatedCircuit : IAsyncDisposable
{
    private readonly AuthKitTestHost _host;
    private readonly AsyncServiceScope _scope;

    private SimulatedCircuit(AuthKitTestHost host, AsyncServiceScope scope, AuthKitAuthenticationStateProvider provider, AuthKitCircuitHandler handler)
    {
        _host = host;
        _scope = scope;
        Provider = provider;
        Handler = handler;
        provider.AuthenticationStateChanged += _ => StateChanges++;
    }

    public AuthKitAuthenticationStateProvider Provider { get; }

    public AuthKitCircuitHandler Handler { get; }

    /// <summary>The provider's revalidator (its timer, back-off and last background run).</summary>
    public CircuitSessionRevalidator Revalidator => Provider.Revalidator;

    /// <summary>The circuit's scoped services.</summary>
    public IServiceProvider Services => _scope.ServiceProvider;

    public int StateChanges { get; private set; }

    public AuthKit.Session.AuthResult Auth => Provider.GetAuthenticationStateAsync().Result.GetAuthResult();

    public ClaimsPrincipal User => Provider.GetAuthenticationStateAsync().Result.User;

    /// <summary>Opens a circuit the way the host does: new scope, host state, circuit opened, connection up.</summary>
    public static async Task<SimulatedCircuit> OpenAsync(AuthKitTestHost host, ClaimsPrincipal hostPrincipal)
    {
        var scope = host.Services.CreateAsyncScope();
        var provider = Assert.IsType<AuthKitAuthenticationStateProvider>(scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>());
        provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(hostPrincipal)));
        var handler = scope.ServiceProvider.GetServices<CircuitHandler>().OfType<AuthKitCircuitHandler>().Single();
        await handler.OnCircuitOpenedAsync(null!, CancellationToken.None);
        await handler.OnConnectionUpAsync(null!, CancellationToken.None);
        Assert.True(provider.Session.IsAuthenticated);
        return new SimulatedCircuit(host, scope, provider, handler);
    }

    /// <summary>Moves the shared clock and waits for the revalidation the timer started (if any).</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        var before = Revalidator.LastRun;
        _host.Advance(by);
        var run = Revalidator.LastRun;
        if (!ReferenceEquals(before, run))
        {
            await run.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Lets the circuit live for <paramref name="duration"/>, in 10 s steps.</summary>
    public async Task RunForAsync(TimeSpan duration)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += TimeSpan.FromSeconds(10))
        {
            await AdvanceAsync(TimeSpan.FromSeconds(10));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Handler.OnCircuitClosedAsync(null!, CancellationToken.None);
        await _scope.DisposeAsync();
    }
}
