using AuthKit.Blazor;
using AuthKit.Blazor.WebAssembly;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The server side of AuthKit's Interactive WebAssembly and Auto support.</summary>
public static class AuthKitWebAssemblyBuilderExtensions
{
    /// <summary>
    /// Hands the signed-in session to WebAssembly and Auto components: every prerendered page with such components
    /// persists the user, impersonator and session claims (organization, roles, permissions, entitlements, feature
    /// flags, access-token expiry) for the client's <c>AddAuthKitWebAssembly()</c>. Neither the access token nor the
    /// refresh token is written into the page. Also registers YARP's forwarder for <c>MapAuthKitApiProxy()</c>. Idempotent.
    /// </summary>
    /// <param name="builder">AuthKit's builder.</param>
    /// <param name="configure">Optional settings handed to the client (session check interval).</param>
    public static IAuthKitBuilder AddWebAssemblySupport(this IAuthKitBuilder builder, Action<AuthKitWebAssemblySupportOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<AuthKitWebAssemblySupportOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Scoped<IHostEnvironmentAuthenticationStateProvider, WebAssemblyAuthenticationStatePersister>());
        // YARP's forwarder for MapAuthKitApiProxy().
        builder.Services.AddHttpForwarder();
        return builder;
    }
}
