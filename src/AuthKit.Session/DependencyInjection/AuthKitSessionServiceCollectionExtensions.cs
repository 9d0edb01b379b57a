using AuthKit.Session;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the AuthKit session core.</summary>
public static class AuthKitSessionServiceCollectionExtensions
{
    /// <summary>Name of the <see cref="System.Net.Http.HttpClient"/> used for every WorkOS call (API and JWKS): <c>AuthKit.WorkOS</c>.</summary>
    public const string HttpClientName = "AuthKit.WorkOS";

    /// <summary>
    /// Registers the session core: <see cref="AuthKitOptions"/> (with the <c>WORKOS_*</c> environment overrides and
    /// validation at start-up), <see cref="AuthKitCoreOptions"/>, the WorkOS client (<see cref="IWorkOSUserManagement"/>,
    /// a typed client named <see cref="HttpClientName"/>), <see cref="IWorkOSApiKeys"/> (the same client behind a valid-key cache),
    /// <see cref="IAccessTokenVerifier"/>, <see cref="ISessionEncryption"/>,
    /// <see cref="AuthKitCore"/>, <see cref="AuthService{TRequest, TResponse}"/> (needs a host-registered
    /// <see cref="ISessionStorage{TRequest, TResponse}"/>) and <see cref="TimeProvider.System"/>. Everything is added with
    /// <c>TryAdd</c>, so the application's own registrations win and calling this twice changes nothing.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options (environment variables still override). Default none.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddAuthKitSession(this IServiceCollection services, Action<AuthKitOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<AuthKitOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(AuthKitSessionMarker)))
        {
            return services; // Already registered: only the extra configuration above is added.
        }

        services.AddSingleton<AuthKitSessionMarker>();
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<AuthKitOptions>, AuthKitEnvironmentPostConfigure>(
            _ => new AuthKitEnvironmentPostConfigure()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthKitOptions>, AuthKitOptionsValidator>());
        services.AddOptions<AuthKitCoreOptions>();

        services.TryAddSingleton(TimeProvider.System);

        if (!services.Any(d => d.ServiceType == typeof(IWorkOSUserManagement)))
        {
            // The core is a singleton holding this typed client: pooled connections are recycled by the primary handler
            // instead of handler rotation, so DNS changes are still picked up.
            services.AddHttpClient<IWorkOSUserManagement, WorkOSUserManagementClient>(HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30))
                .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
                .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        }

        services.TryAddSingleton<IAccessTokenVerifier, JwksAccessTokenVerifier>();
        services.TryAddSingleton<IWorkOSApiKeys>(static sp => new CachingWorkOSApiKeys(
            sp.GetRequiredService<IWorkOSUserManagement>() as IWorkOSApiKeys ?? throw new InvalidOperationException(
                "The registered IWorkOSUserManagement does not validate API keys: register an IWorkOSApiKeys of your own."),
            sp.GetRequiredService<IOptions<AuthKitCoreOptions>>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetService<Microsoft.Extensions.Logging.ILogger<CachingWorkOSApiKeys>>()));
        services.TryAddSingleton<ISessionEncryption>(sp => new SessionEncryption(sp.GetService<TimeProvider>()));
        services.TryAddSingleton(static sp => new AuthKitCore(
            sp.GetRequiredService<IOptions<AuthKitOptions>>(), sp.GetRequiredService<IWorkOSUserManagement>(), sp.GetRequiredService<ISessionEncryption>(),
            sp.GetRequiredService<IAccessTokenVerifier>(), sp.GetRequiredService<IOptions<AuthKitCoreOptions>>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetService<Microsoft.Extensions.Logging.ILogger<AuthKitCore>>(), sp.GetRequiredService<SessionRelay>(), sp.GetRequiredService<IOptions<SessionEngineOptions>>()));

        // The session engine: the store (in memory unless the app registers a shared one), the relay over it, the resolver.
        services.AddOptions<SessionEngineOptions>();
        services.TryAddSingleton<ISessionStore, MemorySessionStore>();
        services.TryAddSingleton<SessionRelay>();
        services.TryAddSingleton(static sp => new SessionResolver(
            sp.GetRequiredService<ISessionEncryption>(), sp.GetRequiredService<IAccessTokenVerifier>(), sp.GetRequiredService<AuthKitCore>(),
            sp.GetRequiredService<SessionRelay>(), sp.GetRequiredService<IOptions<SessionEngineOptions>>(), sp.GetRequiredService<IOptions<AuthKitOptions>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<SessionResolver>>()));
        services.TryAdd(ServiceDescriptor.Transient(typeof(AuthService<,>), typeof(AuthService<,>)));
        return services;
    }

    private sealed class AuthKitSessionMarker;
}
