using System.Net;
using System.Text;
using AuthKit.Blazor.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace AuthKit.Blazor.Tests.Bearer;

public sealed class AuthKitBearerSchemeTests
{
    [Theory]
    [InlineData("permission:admin:read")]
    [InlineData("permission:posts:read")]
    [InlineData("role:admin")]
    [InlineData("organization:org_acme")]
    [InlineData("feature:new-dashboard")]
    [InlineData("entitlement:audit-logs")]
    public async Task An_admins_access_token_satisfies_the_same_dynamic_policies_as_the_cookie(string policy)
    {
        await using var host = await ApiSchemeHost.StartAsync();
        var token = host.Emulator.SignIn("alice@example.com", "org_acme").AccessToken;

        using var response = await host.GetAsync("/bearer/policy/" + policy, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok:" + policy, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("permission:admin:read")]
    [InlineData("role:admin")]
    [InlineData("organization:org_acme")]
    public async Task A_token_without_the_claim_is_forbidden_with_insufficient_scope_by_bearer_and_cookie_alike(string policy)
    {
        await using var host = await ApiSchemeHost.StartAsync();
        var bob = host.Emulator.SignIn("bob@example.com", "org_acme").AccessToken;
        var aliceInGlobex = host.Emulator.SignIn("alice@example.com", "org_globex").AccessToken;
        var token = policy == "organization:org_acme" ? aliceInGlobex : bob;

        using var response = await host.GetAsync("/bearer/policy/" + policy, token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", error_description=\"The credential does not grant access to this resource\"", ApiSchemeHost.Challenge(response));
        var problem = await ApiSchemeHost.ProblemAsync(response);
        Assert.Equal(403, problem.GetProperty("status").GetInt32());
        Assert.Equal("insufficient_scope", problem.GetProperty("error").GetString());

        // The cookie scheme denies the same user on the same policy.
        var browser = host.NewBrowser();
        await host.SignInAsync(browser, policy == "organization:org_acme" ? "alice@example.com" : "bob@example.com",
            policy == "organization:org_acme" ? "org_globex" : "org_acme");
        using var cookie = await browser.GetAsync("/cookie/policy/" + policy);
        Assert.Equal(HttpStatusCode.Forbidden, cookie.StatusCode);
    }

    [Fact]
    public async Task The_bearer_principal_has_the_cookie_principals_claims_except_the_users_profile()
    {
        await using var host = await ApiSchemeHost.StartAsync();
        var browser = host.NewBrowser();
        await host.SignInAsync(browser, "alice@example.com", "org_acme");
        var cookieClaims = await ApiSchemeHost.ClaimsAsync(await browser.GetAsync("/cookie/claims"));
        var token = await (await browser.GetAsync("/cookie/token")).Content.ReadAsStringAsync();

        var bearerClaims = await ApiSchemeHost.ClaimsAsync(await host.GetAsync("/bearer/claims", token));

        string[] profile = ["email=", "name=", "given_name=", "family_name="];
        Assert.Equal(cookieClaims.Where(c => !profile.Any(c.StartsWith)).Order(), bearerClaims.Order());
        Assert.Contains("sub=user_alice", bearerClaims);
        Assert.Contains("org_id=org_acme", bearerClaims);
        Assert.Contains(bearerClaims, c => c.StartsWith("auth_time=", StringComparison.Ordinal));
        Assert.Contains(bearerClaims, c => c.StartsWith("sid=session_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_credentials_get_401_with_a_bare_bearer_challenge_and_a_problem_body_never_a_redirect()
    {
        await using var host = await ApiSchemeHost.StartAsync();

        using var response = await host.GetAsync("/bearer/policy/role:admin", bearer: null, accept: "text/html");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("Bearer", ApiSchemeHost.Challenge(response));
        var problem = await ApiSchemeHost.ProblemAsync(response);
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.False(problem.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task An_expired_token_gets_invalid_token()
    {
        await using var host = await ApiSchemeHost.StartAsync();
        var token = host.Emulator.SignIn("alice@example.com", "org_acme").AccessToken;
        host.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        using var response = await host.GetAsync("/bearer/policy/role:admin", token);

        await AssertInvalidTokenAsync(response, "The access token expired");
    }

    [Fact]
    public async Task The_configured_clock_skew_accepts_a_token_just_past_its_expiry()
    {
        await using var host = await ApiSchemeHost.StartAsync(configure: b => b.Services.Configure<AuthKit.Session.AuthKitCoreOptions>(o => o.ClockSkew = TimeSpan.FromSeconds(30)));
        var token = host.Emulator.SignIn("alice@example.com", "org_acme").AccessToken;
        host.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(10));

        using var within = await host.GetAsync("/bearer/policy/role:admin", token);
        host.Advance(TimeSpan.FromSeconds(25));
        using var beyond = await host.GetAsync("/bearer/policy/role:admin", token);

        Assert.Equal(HttpStatusCode.OK, within.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, beyond.StatusCode);
    }

    [Fact]
    public async Task A_token_from_another_issuer_gets_invalid_token()
    {
        await using var host = await ApiSchemeHost.StartAsync(o => o.ValidIssuers.Add("https://api.workos.com"));
        var token = host.Emulator.SignIn("alice@example.com", "org_acme").AccessToken;

        using var response = await host.GetAsync("/bearer/policy/role:admin", token);

        await AssertInvalidTokenAsync(response, "The access token was issued by another issuer");
    }

    [Fact]
    public async Task A_tampered_token_gets_invalid_token()
    {
        await using var host = await ApiSchemeHost.StartAsync();
        var token = host.Emulator.SignIn("bob@example.com", "org_acme").AccessToken;
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(parts[1]))
            .Replace("\"member\"", "\"admin\"", StringComparison.Ordinal);
        var tampered = parts[0] + "." + Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(payload) + "." + parts[2];

        using var response = await host.GetAsync("/bearer/policy/role:admin", tampered);

        await AssertInvalidTokenAsync(response, "The access token signature is invalid");
    }

    [Theory]
    [InlineData("not-a-jwt", "The access token is not a well-formed JWT")]
    [InlineData("", "The bearer token is missing")]
    public async Task Garbage_gets_invalid_token(string credential, string description)
    {
        await using var host = await ApiSchemeHost.StartAsync();
        using var client = host.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/bearer/policy/role:admin");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + credential);

        using var response = await client.SendAsync(request);

        await AssertInvalidTokenAsync(response, description);
    }

    [Fact]
    public async Task An_audience_requirement_rejects_a_token_without_that_audience()
    {
        await using var host = await ApiSchemeHost.StartAsync(o => o.Audience = "api://orders");
        var token = host.Emulator.SignIn("alice@example.com", "org_acme").AccessToken;

        using var response = await host.GetAsync("/bearer/policy/role:admin", token);

        await AssertInvalidTokenAsync(response, "The access token is not meant for this audience");
    }

    [Fact]
    public async Task A_required_organization_rejects_tokens_scoped_elsewhere_or_unscoped()
    {
        await using var host = await ApiSchemeHost.StartAsync(o => o.RequiredOrganizationId = "org_acme");
        var acme = host.Emulator.SignIn("alice@example.com", "org_acme").AccessToken;
        var globex = host.Emulator.SignIn("alice@example.com", "org_globex").AccessToken;
        var none = host.Emulator.SignIn("support@example.com").AccessToken;

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/bearer/claims", acme)).StatusCode);
        await AssertInvalidTokenAsync(await host.GetAsync("/bearer/claims", globex), "The access token is scoped to another organization");
        await AssertInvalidTokenAsync(await host.GetAsync("/bearer/claims", none), "The access token is not scoped to an organization");
    }

    [Fact]
    public async Task Unreachable_signing_keys_answer_503_not_invalid_token()
    {
        await using var host = await ApiSchemeHost.StartAsync();
        var token = host.Emulator.SignIn("alice@example.com", "org_acme").AccessToken;
        host.Emulator.InjectFault(new AuthKit.Testing.EmulatorFault { Route = "/sso/jwks/*", Status = 500, Count = null });

        using var response = await host.GetAsync("/bearer/claims", token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("temporarily_unavailable", (await ApiSchemeHost.ProblemAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task One_endpoint_can_accept_both_access_tokens_and_api_keys()
    {
        await using var host = await ApiSchemeHost.StartAsync();
        var token = host.Emulator.SignIn("bob@example.com", "org_acme").AccessToken;

        Assert.Equal("user_bob", await (await host.GetAsync("/both/me", token)).Content.ReadAsStringAsync());
        Assert.Equal("api_key_demo_acme_reader", await (await host.GetAsync("/both/me", "sk_test_demo_acme_reader")).Content.ReadAsStringAsync());
        using var neither = await host.GetAsync("/both/me", bearer: null);
        Assert.Equal(HttpStatusCode.Unauthorized, neither.StatusCode);
    }

    private static async Task AssertInvalidTokenAsync(HttpResponseMessage response, string description)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal($"Bearer error=\"invalid_token\", error_description=\"{description}\"", ApiSchemeHost.Challenge(response));
        var problem = await ApiSchemeHost.ProblemAsync(response);
        Assert.Equal("invalid_token", problem.GetProperty("error").GetString());
        Assert.Equal(description, problem.GetProperty("detail").GetString());
    }
}
