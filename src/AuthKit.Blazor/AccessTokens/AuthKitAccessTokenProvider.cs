using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AuthKit.Blazor;

/// <summary>
/// Finds the current user per call: the running circuit (through <see cref="CircuitServicesAccessor"/>), else this
/// scope's circuit state, else the HTTP request's user. Never caches a user.
/// </summary>
internal sealed class AuthKitAccessTokenProvider(
    IServiceProvider scopeServices,
    CircuitServicesAccessor circuitServices,
    IHttpContextAccessor httpContextAccessor) : IAccessTokenProvider
{
    public async ValueTask<string?> GetAccessTokenAsync(CancellationToken cancellationToken = default)
    {
        // 1. Code running inside a circuit (component event, lifecycle, or a handler created by IHttpClientFactory).
        if (circuitServices.Services is { } circuit &&
            await TryFromStateProviderAsync(circuit, cancellationToken).ConfigureAwait(false) is { } fromCircuit)
        {
            return fromCircuit.AccessToken;
        }

        // 2. This provider was resolved from a circuit's own scope.
        if (await TryFromStateProviderAsync(scopeServices, cancellationToken).ConfigureAwait(false) is { } fromScope)
        {
            return fromScope.AccessToken;
        }

        // 3. A plain HTTP request: the scheme handler already refreshed the session for this request.
        return httpContextAccessor.HttpContext?.User.GetAuthResult().AccessToken;
    }

    private static async ValueTask<AuthKit.Session.AuthResult?> TryFromStateProviderAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var provider = services.GetService<AuthenticationStateProvider>();
        try
        {
            if (provider is ICircuitAuthSource source)
            {
                return await source.GetCurrentAuthResultAsync(cancellationToken).ConfigureAwait(false);
            }

            if (provider is not null && services.GetService<IHttpContextAccessor>()?.HttpContext is null)
            {
                var state = await provider.GetAuthenticationStateAsync().ConfigureAwait(false);
                return state.GetAuthResult();
            }
        }
        catch (InvalidOperationException)
        {
            // This scope has no authentication state (e.g. an IHttpClientFactory handler scope).
        }

        return null;
    }
}
