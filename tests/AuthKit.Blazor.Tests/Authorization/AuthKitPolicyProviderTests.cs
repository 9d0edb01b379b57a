using System.Security.Claims;
using AuthKit.Blazor.Tests.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace AuthKit.Blazor.Tests.Authorization;

public sealed class AuthKitPolicyProviderTests
{
    private static async Task<bool> AuthorizeAsync(string policy)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IAuthorizationPolicyProvider, AuthKitPolicyProvider>();
        services.AddAuthorization(o => o.AddPolicy("permission:custom", p => p.RequireAssertion(_ => true)));
        using var provider = services.BuildServiceProvider();
        var user = AuthKitIdentity.CreatePrincipal(AuthKitIdentityTests.CreateAuth());
        var result = await provider.GetRequiredService<IAuthorizationService>().AuthorizeAsync(user, policy);
        return result.Succeeded;
    }

    [Theory]
    [InlineData("permission:posts:write", true)]
    [InlineData("permission:posts:delete", false)]
    [InlineData("role:admin", true)]
    [InlineData("role:billing", true)]
    [InlineData("role:owner", false)]
    [InlineData("organization:org_acme", true)]
    [InlineData("organization:org_globex", false)]
    [InlineData("feature:beta", true)]
    [InlineData("feature:gamma", false)]
    [InlineData("entitlement:audit-logs", true)]
    [InlineData("entitlement:sso", false)]
    [InlineData("permission:custom", true)]
    public async Task Dynamic_policies_check_the_matching_claim(string policy, bool expected)
    {
        Assert.Equal(expected, await AuthorizeAsync(policy));
    }

    [Theory]
    [InlineData("recent-sign-in:300", 300)]
    [InlineData("recent-sign-in:00:05:00", 300)]
    [InlineData("recent-sign-in:1.00:00:00", 86400)]
    [InlineData("recent-sign-in:1", 1)]
    public async Task Recent_sign_in_policies_read_seconds_or_a_time_span(string name, int seconds)
    {
        var provider = new AuthKitPolicyProvider(Microsoft.Extensions.Options.Options.Create(new AuthorizationOptions()));

        var policy = await provider.GetPolicyAsync(name);

        Assert.Equal(TimeSpan.FromSeconds(seconds), Assert.Single(policy!.Requirements.OfType<RecentSignInRequirement>()).MaxAge);
    }

    [Theory]
    [InlineData("recent-sign-in:0")]
    [InlineData("recent-sign-in:-5")]
    [InlineData("recent-sign-in:five")]
    [InlineData("recent-sign-in:99999999999")]
    [InlineData("recent-sign-in:00:00:00.5")]
    public async Task Unparsable_recent_sign_in_values_are_not_policies(string name)
    {
        var provider = new AuthKitPolicyProvider(Microsoft.Extensions.Options.Options.Create(new AuthorizationOptions()));

        Assert.Null(await provider.GetPolicyAsync(name));
    }

    [Fact]
    public async Task Unknown_prefixes_are_not_policies()
    {
        var provider = new AuthKitPolicyProvider(Microsoft.Extensions.Options.Options.Create(new AuthorizationOptions()));

        Assert.Null(await provider.GetPolicyAsync("group:admins"));
        Assert.Null(await provider.GetPolicyAsync("permission:"));
    }

    [Fact]
    public async Task Dynamic_policies_require_an_authenticated_user()
    {
        var policy = await new AuthKitPolicyProvider(Microsoft.Extensions.Options.Options.Create(new AuthorizationOptions())).GetPolicyAsync("feature:beta");
        var services = new ServiceCollection().AddLogging().AddAuthorization().BuildServiceProvider();
        var anonymous = new ClaimsPrincipal(new ClaimsIdentity([new Claim("feature_flag", "beta")]));

        var result = await services.GetRequiredService<IAuthorizationService>().AuthorizeAsync(anonymous, null, policy!);

        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task Builder_extensions_require_every_listed_permission()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddAuthorization(o =>
        {
            o.AddPolicy("editors", p => p.RequirePermission("admin:read", "posts:write"));
            o.AddPolicy("superusers", p => p.RequirePermission("admin:read", "admin:write"));
            o.AddPolicy("acme-beta", p => p.RequireOrganization("org_acme").RequireFeatureFlag("beta").RequireEntitlement("audit-logs"));
        });
        using var provider = services.BuildServiceProvider();
        var authorization = provider.GetRequiredService<IAuthorizationService>();
        var user = AuthKitIdentity.CreatePrincipal(AuthKitIdentityTests.CreateAuth());

        Assert.True((await authorization.AuthorizeAsync(user, "editors")).Succeeded);
        Assert.False((await authorization.AuthorizeAsync(user, "superusers")).Succeeded);
        Assert.True((await authorization.AuthorizeAsync(user, "acme-beta")).Succeeded);
    }
}
