using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using AuthKit.Blazor.Tests.TestSupport;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AuthKit.Blazor.Tests.Bearer;

/// <summary>
/// A TestServer app with the cookie, bearer and API-key schemes against the emulator, and the same dynamic policies
/// (<c>permission:</c>, <c>role:</c>, <c>organization:</c>, <c>feature:</c>, <c>entitlement:</c>) mapped once per scheme:
/// <c>/{scheme}/policy/{name}</c> where scheme is <c>cookie</c>, <c>bearer</c> or <c>key</c>; <c>/{scheme}/claims</c> lists the claims.
/// </summary>
internal static class ApiSchemeHost
{
    public static readonly string[] Policies =
    [
        "permission:admin:read", "permission:posts:read", "role:admin", "organization:org_acme", "feature:new-dashboard", "entitlement:audit-logs",
    ];

    public static Task<AuthKitTestHost> StartAsync(Action<AuthKitBearerOptions>? bearer = null, Action<IAuthKitBuilder>? configure = null) =>
        AuthKitTestHost.StartAsync(
            b =>
            {
                b.Services.AddAuthentication().AddAuthKitBearer(o => bearer?.Invoke(o)).AddAuthKitApiKey();
                configure?.Invoke(b);
            },
            app =>
            {
                foreach (var (prefix, scheme) in new[] { ("cookie", AuthKitDefaults.AuthenticationScheme), ("bearer", AuthKitDefaults.BearerScheme), ("key", AuthKitDefaults.ApiKeyScheme) })
                {
                    app.MapGet($"/{prefix}/claims", (HttpContext ctx) => TypedResults.Json(ctx.User.Claims.Select(c => new[] { c.Type, c.Value }).ToArray()))
                        .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = scheme });
                    foreach (var policy in Policies)
                    {
                        app.MapGet($"/{prefix}/policy/{policy}", () => "ok:" + policy)
                            .RequireAuthorization(new AuthorizeAttribute(policy) { AuthenticationSchemes = scheme });
                    }
                }

                app.MapGet("/both/me", (HttpContext ctx) => ctx.User.FindFirstValue(AuthKitClaimTypes.ApiKeyId) ?? ctx.User.FindFirstValue("sub"))
                    .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = AuthKitDefaults.BearerScheme + "," + AuthKitDefaults.ApiKeyScheme });
                app.MapGet("/cookie/token", (HttpContext ctx) => ctx.User.GetAuthResult().AccessToken!).RequireAuthorization();
            });

    public static async Task<HttpResponseMessage> GetAsync(this AuthKitTestHost host, string path, string? bearer, string? accept = null)
    {
        using var client = host.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        return await client.SendAsync(request);
    }

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public static string Challenge(HttpResponseMessage response) =>
        string.Join(" | ", response.Headers.WwwAuthenticate.Select(h => h.ToString()));

    public static async Task<HashSet<string>> ClaimsAsync(HttpResponseMessage response)
    {
        response.EnsureSuccessStatusCode();
        var pairs = JsonSerializer.Deserialize<string[][]>(await response.Content.ReadAsStringAsync())!;
        return pairs.Select(p => p[0] + "=" + p[1]).ToHashSet(StringComparer.Ordinal);
    }
}
