using AuthKit.Blazor;
using AuthKit.Session;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers AuthKit for ASP.NET Core / Blazor.</summary>
public static class AuthKitServiceCollectionExtensions
{
    /// <summary>
    /// Adds WorkOS AuthKit: binds the <c>AuthKit</c> configuration section and the <c>WORKOS_*</c> environment
    /// variables (environment wins), validates both option sets at start-up (every problem in one message), registers
    /// the <c>AuthKit</c> authentication scheme (default scheme unless one is set), authorization with the
    /// <c>permission:</c>/<c>role:</c>/<c>organization:</c>/<c>feature:</c>/<c>entitlement:</c> policies, cascading
    /// authentication state, the circuit's state provider and handler, the rotation relay (in memory) and the
    /// endpoints' services. Calling it again only applies <paramref name="configure"/> again.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Optional WorkOS settings applied after configuration binding (environment variables still win).</param>
    public static IAuthKitBuilder AddAuthKit(this IServiceCollection services, Action<AuthKitOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new AuthKitBuilder(services);
        if (services.Any(d => d.ServiceType == typeof(AuthKitMarker)))
        {
            if (configure is not null)
            {
                services.Configure(configure);
            }

            return builder;
        }

        services.AddSingleton<AuthKitMarker>();

        // Options: configuration section first, then the caller's delegate; WORKOS_* post-configuration wins (core).
        services.AddOptions<AuthKitOptions>().BindConfiguration(AuthKitDefaults.ConfigurationSection);
        // The scheme's options (paths, events) and the integration's other settings share the section; the callback path
        // is derived from the redirect URI after configuration; one validator reports the problems of both at start.
        services.AddOptions<AuthKitAuthenticationOptions>(AuthKitDefaults.AuthenticationScheme).BindConfiguration(AuthKitDefaults.ConfigurationSection).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<AuthKitAuthenticationOptions>, AuthKitAuthenticationPostConfigureOptions>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthKitAuthenticationOptions>, AuthKitAuthenticationOptionsValidator>());
        services.AddOptions<AuthKitBlazorOptions>().BindConfiguration(AuthKitDefaults.ConfigurationSection);
        // The render-mode agnostic components read the endpoint paths from here (the scheme's paths on the server).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<AuthKitEndpointPaths>, AuthKit.Blazor.Components.EndpointPathsFromScheme>());
        AddSessionCore(services, configure);

        // One verified-cookie cache serves the scheme and the core (AuthKitCore owns it): size it from the Blazor options.
        services.AddOptions<AuthKitCoreOptions>().Configure<IOptions<AuthKitBlazorOptions>>(
            static (core, blazor) => core.VerifiedSessionCacheSize = blazor.Value.VerifiedSessionCacheSize);

        // The engine (registered by the core) takes its refresh window and relay settings from the Blazor options.
        services.AddOptions<SessionEngineOptions>().Configure<IOptions<AuthKitBlazorOptions>>(static (engine, blazor) =>
        {
            engine.RefreshBuffer = blazor.Value.RefreshBuffer;
            engine.RelayLifetime = blazor.Value.RelayLifetime;
            engine.MemoryStoreSizeLimit = blazor.Value.MemoryRelaySizeLimit;
        });

        // Cookies, coordinator.
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<HttpSessionCookies>();
        services.TryAddSingleton<SessionSignOut>();
        services.TryAddScoped<IAuthKitSessionCoordinator, AuthKitSessionCoordinator>();

        // Access tokens.
        services.AddHttpContextAccessor();
        services.TryAddSingleton<CircuitServicesAccessor>();
        services.TryAddScoped<IAccessTokenProvider, AuthKitAccessTokenProvider>();
        services.TryAddTransient<AuthKitAccessTokenHandler>();

        // Authentication: the AuthKit scheme, default unless the app chose one.
        services.AddAuthentication().AddScheme<AuthKitAuthenticationOptions, AuthKitAuthenticationHandler>(AuthKitDefaults.AuthenticationScheme, displayName: "WorkOS AuthKit", _ => { });
        services.Configure<AuthenticationOptions>(o => o.DefaultScheme ??= AuthKitDefaults.AuthenticationScheme);

        // Authorization with dynamic AuthKit policies (a policy provider the app registered itself wins).
        var existingProvider = services.FirstOrDefault(d => d.ServiceType == typeof(IAuthorizationPolicyProvider));
        if (existingProvider?.ImplementationType == typeof(DefaultAuthorizationPolicyProvider))
        {
            services.Remove(existingProvider);
        }

        services.TryAddSingleton<IAuthorizationPolicyProvider, AuthKitPolicyProvider>();
        // Step-up (recent-sign-in): the handler records failures for RedirectToSignIn; the result handler (added before the
        // framework's, so an app's own registration still wins) turns a failed step-up into a challenge with max_age.
        services.TryAddScoped<StepUpState>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<IAuthorizationHandler, RecentSignInHandler>());
        var existingResultHandler = services.FirstOrDefault(d => d.ServiceType == typeof(Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler));
        if (existingResultHandler?.ImplementationType == typeof(Microsoft.AspNetCore.Authorization.Policy.AuthorizationMiddlewareResultHandler))
        {
            services.Remove(existingResultHandler); // the framework's default (AddAuthorization called first): ours wraps it
        }

        services.TryAddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, AuthKitAuthorizationResultHandler>();
        services.AddAuthorization();
        services.AddCascadingAuthenticationState();
        services.AddAntiforgery();
        AddCircuitServices(services);

        return builder;
    }

    /// <summary>
    /// Sets the integration's settings that are not per scheme (<see cref="AuthKitBlazorOptions"/>: refresh buffer,
    /// revalidation interval, relay, verified-session cache). Paths are the scheme's: <see cref="ConfigureScheme"/>.
    /// </summary>
    public static IAuthKitBuilder Configure(this IAuthKitBuilder builder, Action<AuthKitBlazorOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Sets the <c>AuthKit</c> scheme's options (<see cref="AuthKitAuthenticationOptions"/>: endpoint paths, events), after
    /// the <c>AuthKit</c> configuration section. The same as
    /// <c>services.Configure&lt;AuthKitAuthenticationOptions&gt;(AuthKitDefaults.AuthenticationScheme, configure)</c>.
    /// </summary>
    public static IAuthKitBuilder ConfigureScheme(this IAuthKitBuilder builder, Action<AuthKitAuthenticationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(AuthKitDefaults.AuthenticationScheme, configure);
        return builder;
    }

    /// <summary>Configures the event hooks (<see cref="AuthKitAuthenticationOptions.Events"/> of the <c>AuthKit</c> scheme).</summary>
    public static IAuthKitBuilder WithEvents(this IAuthKitBuilder builder, Action<AuthKitEvents> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure<AuthKitAuthenticationOptions>(AuthKitDefaults.AuthenticationScheme, o => configure(o.Events));
        return builder;
    }

    /// <summary>
    /// Uses <typeparamref name="TEvents"/> for the event hooks: registers it (scoped, unless already registered) and sets
    /// the scheme's <c>EventsType</c>, so it is resolved per request/circuit.
    /// </summary>
    public static IAuthKitBuilder WithEvents<TEvents>(this IAuthKitBuilder builder)
        where TEvents : AuthKitEvents
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddScoped<TEvents>();
        builder.Services.Configure<AuthKitAuthenticationOptions>(AuthKitDefaults.AuthenticationScheme, o => o.EventsType = typeof(TEvents));
        return builder;
    }

    /// <summary>
    /// Keeps the rotation relay and the signed-out sessions in the app's <c>IDistributedCache</c> (register the cache
    /// itself, e.g. <c>AddStackExchangeRedisCache</c>). What it lacks, because <c>IDistributedCache</c> has no atomic
    /// set-if-absent and no publish/subscribe: <b>no lease</b> across servers (servers refreshing one cookie at the same
    /// moment each call WorkOS; the losers find the winner's successor in the relay), <b>no push</b> (every request reads
    /// the cache, and a sign-out reaches another server's open circuit only when it next revalidates), and no breaker (a
    /// cache outage costs the cache's own timeout). For several servers on Redis prefer <c>UseRedis</c> (package
    /// <c>AuthKit.Redis</c>).
    /// </summary>
    public static IAuthKitBuilder UseDistributedCacheSessionStore(this IAuthKitBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<ISessionStore, DistributedCacheSessionStore>());
        return builder;
    }

    /// <summary>Uses a custom <see cref="ISessionStore"/> (singleton): refresh leases, rotations, ended sessions and their notifications.</summary>
    public static IAuthKitBuilder UseSessionStore<TStore>(this IAuthKitBuilder builder)
        where TStore : class, ISessionStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<ISessionStore, TStore>());
        return builder;
    }

    private static void AddSessionCore(IServiceCollection services, Action<AuthKitOptions>? configure)
    {
        // The session core: options (+ WORKOS_* post-configuration and validation at start), WorkOS client, JWKS
        // verifier, encryption, AuthKitCore, AuthService<,>. TryAdd throughout: the app's own registrations win.
        services.AddAuthKitSession(configure);
        services.TryAddSingleton<ISessionStorage<HttpRequest, HttpResponse>>(sp => sp.GetRequiredService<HttpSessionCookies>());
    }

    private static void AddCircuitServices(IServiceCollection services) => services.AddAuthKitCircuit();

    private sealed class AuthKitBuilder(IServiceCollection services) : IAuthKitBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    private sealed class AuthKitMarker;
}
