using AuthKit.Blazor;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds AuthKit's API schemes: WorkOS access tokens and WorkOS API keys as bearer credentials.</summary>
public static class AuthKitAuthenticationBuilderExtensions
{
    /// <summary>
    /// Adds the WorkOS access-token bearer scheme (<see cref="AuthKitDefaults.BearerScheme"/>): <c>Authorization: Bearer
    /// &lt;access token&gt;</c>, verified against the WorkOS JWKS (RS256, expiry, issuer; optional audience and organization), with
    /// the same claims as the cookie scheme, so the <c>permission:</c>/<c>role:</c>/<c>organization:</c>/... policies work.
    /// Failures answer RFC 6750 <c>WWW-Authenticate: Bearer</c> errors with a problem body, never a redirect. Uses the WorkOS
    /// settings and services of <c>AddAuthKit()</c>; call that too (it also registers the dynamic policies).
    /// </summary>
    public static AuthenticationBuilder AddAuthKitBearer(this AuthenticationBuilder builder) =>
        builder.AddAuthKitBearer(AuthKitDefaults.BearerScheme, _ => { });

    /// <summary>As <see cref="AddAuthKitBearer(AuthenticationBuilder)"/>, with options.</summary>
    public static AuthenticationBuilder AddAuthKitBearer(this AuthenticationBuilder builder, Action<AuthKitBearerOptions> configure) =>
        builder.AddAuthKitBearer(AuthKitDefaults.BearerScheme, configure);

    /// <summary>As <see cref="AddAuthKitBearer(AuthenticationBuilder)"/>, under another scheme name, with options.</summary>
    public static AuthenticationBuilder AddAuthKitBearer(this AuthenticationBuilder builder, string authenticationScheme, Action<AuthKitBearerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        ArgumentNullException.ThrowIfNull(configure);
        AddShared(builder.Services);
        return builder.AddScheme<AuthKitBearerOptions, AuthKitBearerHandler>(authenticationScheme, "WorkOS access token", configure);
    }

    /// <summary>
    /// Adds the WorkOS API-key scheme (<see cref="AuthKitDefaults.ApiKeyScheme"/>): machine clients send <c>Authorization: Bearer
    /// &lt;WorkOS API key&gt;</c>; the key is validated with <c>POST /api_keys/validations</c> (valid keys cached briefly) and its
    /// owner (<c>org_id</c>, or <c>sub</c> + <c>org_id</c> for a user-owned key) and permissions (<c>permission</c>) become
    /// claims. 401 <c>invalid_token</c> for a bad key; 503 with <c>Retry-After</c> when WorkOS cannot answer. Uses the WorkOS
    /// settings and services of <c>AddAuthKit()</c>; call that too.
    /// </summary>
    public static AuthenticationBuilder AddAuthKitApiKey(this AuthenticationBuilder builder) =>
        builder.AddAuthKitApiKey(AuthKitDefaults.ApiKeyScheme, _ => { });

    /// <summary>As <see cref="AddAuthKitApiKey(AuthenticationBuilder)"/>, with options.</summary>
    public static AuthenticationBuilder AddAuthKitApiKey(this AuthenticationBuilder builder, Action<AuthKitApiKeyOptions> configure) =>
        builder.AddAuthKitApiKey(AuthKitDefaults.ApiKeyScheme, configure);

    /// <summary>As <see cref="AddAuthKitApiKey(AuthenticationBuilder)"/>, under another scheme name, with options.</summary>
    public static AuthenticationBuilder AddAuthKitApiKey(this AuthenticationBuilder builder, string authenticationScheme, Action<AuthKitApiKeyOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        ArgumentNullException.ThrowIfNull(configure);
        AddShared(builder.Services);
        return builder.AddScheme<AuthKitApiKeyOptions, AuthKitApiKeyHandler>(authenticationScheme, "WorkOS API key", configure);
    }

    private static void AddShared(IServiceCollection services)
    {
        // The verifier, the WorkOS client and the API-key cache (TryAdd: AddAuthKit's or the app's registrations win).
        services.AddAuthKitSession();
        services.TryAddScoped<StepUpState>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<IAuthorizationHandler, RecentSignInHandler>());
    }
}
