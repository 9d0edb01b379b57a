using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;

namespace BlazorApp.Api;

/// <summary>The sample's protected minimal API: <c>GET /api/me</c> echoes who the bearer token belongs to.</summary>
internal static class MeApi
{
    /// <summary>The policy that requires a valid WorkOS access token as a bearer token.</summary>
    public const string PolicyName = "api";

    public static IServiceCollection AddMeApi(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, AccessTokenAuthenticationHandler>(AccessTokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(PolicyName, policy => policy
                .AddAuthenticationSchemes(AccessTokenAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser());
        return services;
    }

    public static IEndpointConventionBuilder MapMeApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api")
            .RequireAuthorization(PolicyName)
            .WithMetadata(SkipStatusCodePages.Instance);
        api.MapGet("/me", GetMe);
        return api;
    }

    private static Ok<MeResponse> GetMe(ClaimsPrincipal user) => TypedResults.Ok(new MeResponse(
        UserId: user.FindFirstValue("sub") ?? "",
        SessionId: user.FindFirstValue("sid") ?? "",
        OrganizationId: user.FindFirstValue("org_id"),
        Role: user.FindFirstValue("role"),
        Permissions: [.. user.FindAll("permission").Select(c => c.Value)],
        TokenId: user.FindFirstValue("jti"),
        AccessTokenExpiresAt: long.TryParse(user.FindFirstValue("exp"), out var exp) ? DateTimeOffset.FromUnixTimeSeconds(exp) : null));
}

/// <summary>The body of <c>GET /api/me</c>.</summary>
public sealed record MeResponse(
    string UserId,
    string SessionId,
    string? OrganizationId,
    string? Role,
    IReadOnlyList<string> Permissions,
    string? TokenId,
    DateTimeOffset? AccessTokenExpiresAt);

/// <summary>Endpoint metadata: API clients get bare status codes, not the app's re-executed status pages.</summary>
internal sealed class SkipStatusCodePages : ISkipStatusCodePagesMetadata
{
    public static readonly SkipStatusCodePages Instance = new();
}
