using System.Security.Claims;
using System.Text.Json;
using AuthKit.Session;
using Microsoft.AspNetCore.Components.Authorization;

namespace AuthKit.Blazor.Tests.Identity;

public sealed class AuthKitIdentityTests
{
    internal static AuthResult CreateAuth(Impersonator? impersonator = null)
    {
        var claims = new AccessTokenClaims(JsonSerializer.SerializeToElement(new Dictionary<string, object?>
        {
            ["sub"] = "user_alice",
            ["sid"] = "session_1",
            ["org_id"] = "org_acme",
            ["role"] = "admin",
            ["roles"] = new[] { "admin", "billing" },
            ["permissions"] = new[] { "admin:read", "posts:write" },
            ["entitlements"] = new[] { "audit-logs" },
            ["feature_flags"] = new[] { "beta" },
            ["exp"] = 1_900_000_000,
        }));
        var session = new AuthKit.Session.Session
        {
            AccessToken = "at",
            RefreshToken = "rt",
            User = new WorkOSUser { Id = "user_alice", Email = "alice@example.com", FirstName = "Alice", LastName = "Smith" },
            Impersonator = impersonator,
        };
        return AuthResult.FromSession(session, claims);
    }

    [Fact]
    public void The_principal_carries_the_issue_claims()
    {
        var principal = AuthKitIdentity.CreatePrincipal(CreateAuth(new Impersonator { Email = "support@example.com", Reason = "Ticket 42" }));

        Assert.Equal("user_alice", principal.FindFirstValue("sub"));
        Assert.Equal("session_1", principal.FindFirstValue("sid"));
        Assert.Equal("alice@example.com", principal.FindFirstValue("email"));
        Assert.Equal("Alice Smith", principal.Identity!.Name);
        Assert.Equal("org_acme", principal.FindFirstValue("org_id"));
        Assert.Equal(["admin", "billing"], principal.FindAll("role").Select(c => c.Value).Order());
        Assert.True(principal.IsInRole("billing"));
        Assert.Equal(["admin:read", "posts:write"], principal.FindAll("permission").Select(c => c.Value));
        Assert.Equal("audit-logs", principal.FindFirstValue("entitlement"));
        Assert.Equal("beta", principal.FindFirstValue("feature_flag"));
        Assert.Equal("support@example.com", principal.FindFirstValue("impersonator"));
        Assert.Equal("Ticket 42", principal.FindFirstValue("impersonator_reason"));
        Assert.Equal(AuthKitDefaults.AuthenticationScheme, principal.Identity.AuthenticationType);
    }

    [Fact]
    public void GetAuthResult_returns_the_same_session_from_the_principal_and_from_an_authentication_state()
    {
        var auth = CreateAuth();
        var principal = AuthKitIdentity.CreatePrincipal(auth);

        Assert.Same(auth, principal.GetAuthResult());
        Assert.Same(auth, new AuthenticationState(principal).GetAuthResult());
        Assert.Same(auth, principal.Clone().GetAuthResult());
    }

    [Fact]
    public void GetAuthResult_is_anonymous_for_foreign_or_missing_principals()
    {
        var foreign = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "x")], "Cookies"));

        Assert.False(foreign.GetAuthResult().IsAuthenticated);
        Assert.False(((ClaimsPrincipal?)null).GetAuthResult().IsAuthenticated);
        Assert.False(new AuthenticationState(new ClaimsPrincipal()).GetAuthResult().IsAuthenticated);
    }

    [Fact]
    public void An_anonymous_result_cannot_become_an_identity()
    {
        Assert.Throws<ArgumentException>(() => AuthKitIdentity.CreatePrincipal(AuthResult.Anonymous));
    }
}
