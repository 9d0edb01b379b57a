using System.Security.Claims;
using AuthKit.Blazor;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;

namespace BlazorApp.Api;

/// <summary>
/// The sample's protected minimal APIs: <c>GET /api/me</c> (a WorkOS access token, <c>AddAuthKitBearer()</c>) echoes who the
/// bearer token belongs to; <c>GET /api/posts</c> (a WorkOS API key, <c>AddAuthKitApiKey()</c>, permission <c>posts:read</c>)
/// is what a machine client calls.
/// </summary>
internal static class MeApi
{
    /// <summary>The policy that requires a valid WorkOS access token as a bearer token.</summary>
    public const string PolicyName = "api";

    /// <summary>The policy of the machine API: a WorkOS API key with <c>posts:read</c>.</summary>
    public const string ApiKeyPolicyName = "api-key:posts:read";

    public static IServiceCollection AddMeApi(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddAuthKitBearer()
            .AddAuthKitApiKey();
        services.AddAuthorizationBuilder()
            .AddPolicy(PolicyName, policy => policy
                .AddAuthenticationSchemes(AuthKitDefaults.BearerScheme)
                .RequireAuthenticatedUser())
            .AddPolicy(ApiKeyPolicyName, policy => policy
                .AddAuthenticationSchemes(AuthKitDefaults.ApiKeyScheme)
                .RequirePermission("posts:read"));
        return services;
    }

    public static IEndpointConventionBuilder MapMeApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api")
            .WithMetadata(SkipStatusCodePages.Instance);
        api.MapGet("/me", GetMe).RequireAuthorization(PolicyName);
        api.MapGet("/posts", GetPosts).RequireAuthorization(ApiKeyPolicyName);
        return api;
    }

    private static Ok<MeResponse> GetMe(ClaimsPrincipal user)
    {
        var token = user.GetAccessTokenClaims();
        return TypedResults.Ok(new MeResponse(
            UserId: user.FindFirstValue(AuthKitClaimTypes.Subject) ?? "",
            SessionId: user.FindFirstValue(AuthKitClaimTypes.SessionId) ?? "",
            OrganizationId: user.FindFirstValue(AuthKitClaimTypes.OrganizationId),
            Role: user.FindFirstValue(AuthKitClaimTypes.Role),
            Permissions: [.. user.FindAll(AuthKitClaimTypes.Permission).Select(c => c.Value)],
            TokenId: token?.TokenId,
            AccessTokenExpiresAt: token?.ExpiresAt));
    }

    private static Ok<PostsResponse> GetPosts(ClaimsPrincipal caller) => TypedResults.Ok(new PostsResponse(
        ApiKeyId: caller.FindFirstValue(AuthKitClaimTypes.ApiKeyId) ?? "",
        ApiKeyName: caller.FindFirstValue(AuthKitClaimTypes.ApiKeyName),
        OrganizationId: caller.FindFirstValue(AuthKitClaimTypes.OrganizationId),
        UserId: caller.FindFirstValue(AuthKitClaimTypes.Subject),
        Permissions: [.. caller.FindAll(AuthKitClaimTypes.Permission).Select(c => c.Value)],
        Posts: [new Post(1, "Hello from the API"), new Post(2, "Called with a WorkOS API key")]));
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

/// <summary>The body of <c>GET /api/posts</c>: who called (the API key and its owner) and some posts.</summary>
public sealed record PostsResponse(
    string ApiKeyId,
    string? ApiKeyName,
    string? OrganizationId,
    string? UserId,
    IReadOnlyList<string> Permissions,
    IReadOnlyList<Post> Posts);

/// <summary>A post.</summary>
public sealed record Post(int Id, string Title);

/// <summary>Endpoint metadata: API clients get bare status codes, not the app's re-executed status pages.</summary>
internal sealed class SkipStatusCodePages : ISkipStatusCodePagesMetadata
{
    public static readonly SkipStatusCodePages Instance = new();
}
