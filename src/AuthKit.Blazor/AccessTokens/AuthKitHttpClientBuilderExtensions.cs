using AuthKit.Blazor;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the signed-in user's WorkOS access token to an <see cref="System.Net.Http.HttpClient"/>.</summary>
public static class AuthKitHttpClientBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="AuthKitAccessTokenHandler"/>: every request gets <c>Authorization: Bearer</c> with the access token
    /// of the user current at send time (the circuit's user inside an interactive component, else the HTTP request's
    /// user). Requires <c>AddAuthKit()</c>.
    /// </summary>
    public static IHttpClientBuilder AddAuthKitAccessToken(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddTransient<AuthKitAccessTokenHandler>();
        return builder.AddHttpMessageHandler<AuthKitAccessTokenHandler>();
    }
}
