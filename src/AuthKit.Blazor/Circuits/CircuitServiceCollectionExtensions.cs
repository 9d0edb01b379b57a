using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor;

/// <summary>Registration of the circuit side (called by <c>AddAuthKit()</c>).</summary>
internal static class CircuitServiceCollectionExtensions
{
    /// <summary>
    /// Registers the circuit's authentication state provider (as <see cref="AuthenticationStateProvider"/>, replacing
    /// the framework's default whichever is registered first) with its revalidator, the circuit handler, the browser
    /// cookie sync and the circuit-services accessor with its handler (registered first, so it wraps the other
    /// handlers' inbound activity). Idempotent.
    /// </summary>
    public static IServiceCollection AddAuthKitCircuit(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CircuitServicesAccessor>();
        if (services.Any(static d => d.ServiceType == typeof(AuthKitAuthenticationStateProvider)))
        {
            return services;
        }

        services.AddScoped<SessionCookieSync>();
        services.AddScoped(static sp => new AuthKitAuthenticationStateProvider(state => new CircuitSessionRevalidator(
            state,
            sp.GetRequiredService<IAuthKitSessionCoordinator>(),
            sp.GetRequiredService<SessionCookieSync>(),
            sp, // the circuit's scope: the app's IClaimsTransformation is resolved from it on first use
            sp.GetRequiredService<CircuitServicesAccessor>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<AuthKitBlazorOptions>>(),
            sp.GetRequiredService<ILogger<CircuitSessionRevalidator>>())));
        // Added (not TryAdded): AddRazorComponents() may already have registered the framework's provider.
        services.AddScoped<AuthenticationStateProvider>(static sp => sp.GetRequiredService<AuthKitAuthenticationStateProvider>());
        services.AddScoped<ICircuitAuthSource>(static sp => sp.GetRequiredService<AuthKitAuthenticationStateProvider>());
        services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, CircuitServicesAccessorHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, AuthKitCircuitHandler>());
        return services;
    }
}
