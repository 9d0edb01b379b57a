using AuthKit.Blazor;
using AuthKit.Blazor.WebAssembly;
using AuthKit.Blazor.WebAssembly.Internal;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers AuthKit in a Blazor WebAssembly client (the <c>.Client</c> project of a Blazor Web App).</summary>
public static class AuthKitWebAssemblyServiceCollectionExtensions
{
    /// <summary>
    /// Adds AuthKit's WebAssembly authentication state (<see cref="AuthKitWebAssemblyAuthenticationStateProvider"/>,
    /// from the state the server persisted with <c>AddAuthKit().AddWebAssemblySupport()</c>), cascading authentication
    /// state, authorization, the components' endpoint paths (<see cref="AuthKitEndpointPaths"/>, defaults as the
    /// server's) and the session checks (<see cref="AuthKitWebAssemblyOptions"/>). Idempotent; the app's own
    /// <see cref="AuthenticationStateProvider"/> registration wins.
    /// </summary>
    /// <param name="services">The client's services.</param>
    /// <param name="configure">Optional settings (session check interval, check on visibility).</param>
    public static IServiceCollection AddAuthKitWebAssembly(this IServiceCollection services, Action<AuthKitWebAssemblyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<AuthKitWebAssemblyOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(static d => d.ServiceType == typeof(AuthKitWebAssemblyAuthenticationStateProvider)))
        {
            return services;
        }

        services.AddOptions<AuthKitEndpointPaths>();
        services.AddAuthorizationCore();
        services.AddCascadingAuthenticationState();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient<AuthKitSessionClient>();
        // OrganizationSwitcher's list comes from the server's organizations endpoint (no WorkOS API key in the browser).
        services.AddHttpClient<AuthKit.Blazor.Components.IOrganizationListSource, HttpOrganizationListSource>();
        services.AddScoped(static sp => new AuthKitWebAssemblyAuthenticationStateProvider(
            sp.GetRequiredService<AuthKitSessionClient>(),
            sp.GetRequiredService<IJSRuntime>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<AuthKitWebAssemblyOptions>>(),
            sp.GetRequiredService<ILogger<AuthKitWebAssemblyAuthenticationStateProvider>>(),
            sp.GetService<PersistentComponentState>()));
        services.TryAddScoped<AuthenticationStateProvider>(static sp => sp.GetRequiredService<AuthKitWebAssemblyAuthenticationStateProvider>());
        services.TryAddTransient<AuthKitApiProxyHandler>();
        return services;
    }

    /// <summary>
    /// Makes this client call the server's API proxy (<c>MapAuthKitApiProxy</c>): every request carries the anti-CSRF
    /// header (<see cref="AuthKitDefaults.CsrfHeaderName"/>). Set the client's base address to the proxy's
    /// path on the app's origin (e.g. <c>{HostEnvironment.BaseAddress}bff/</c>); the browser sends the session cookie.
    /// </summary>
    public static IHttpClientBuilder AddAuthKitApiProxyHandler(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddTransient<AuthKitApiProxyHandler>();
        return builder.AddHttpMessageHandler<AuthKitApiProxyHandler>();
    }

    /// <summary>
    /// <b>Opt-in token access</b> (like authkit-nextjs's <c>useAccessToken</c>): registers
    /// <see cref="AuthKitAccessTokenClient"/>, which reads the access token from the server's token endpoint at
    /// <paramref name="path"/> (map it with <c>MapAuthKitAccessTokenEndpoint()</c>; it is off unless mapped). The token
    /// then lives in WebAssembly memory, readable by any script in the page: prefer the API proxy.
    /// </summary>
    public static IServiceCollection AddAuthKitAccessTokenAccess(this IServiceCollection services, string path = "/auth/access-token")
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(path);
        services.AddHttpClient(nameof(AuthKitAccessTokenClient));
        services.TryAddTransient(sp => new AuthKitAccessTokenClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(AuthKitAccessTokenClient)),
            sp.GetRequiredService<NavigationManager>(),
            path));
        return services;
    }
}
