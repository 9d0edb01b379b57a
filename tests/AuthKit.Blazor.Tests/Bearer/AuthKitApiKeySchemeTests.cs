using System.Net;
using AuthKit.Testing;

namespace AuthKit.Blazor.Tests.Bearer;

public sealed class AuthKitApiKeySchemeTests
{
    private const string Reader = "sk_test_demo_acme_reader";
    private const string Admin = "sk_test_demo_acme_admin";

    [Theory]
    [InlineData(Admin, "permission:admin:read")]
    [InlineData(Admin, "permission:posts:read")]
    [InlineData(Reader, "permission:posts:read")]
    [InlineData(Reader, "organization:org_acme")]
    public async Task A_valid_key_satisfies_the_same_permission_and_organization_policies(string key, string policy)
    {
        await using var host = await ApiSchemeHost.StartAsync();

        using var response = await host.GetAsync("/key/policy/" + policy, key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok:" + policy, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(Reader, "permission:admin:read")]
    [InlineData(Admin, "role:admin")]
    [InlineData(Admin, "feature:new-dashboard")]
    public async Task A_key_without_the_claim_is_forbidden_with_insufficient_scope(string key, string policy)
    {
        await using var host = await ApiSchemeHost.StartAsync();

        using var response = await host.GetAsync("/key/policy/" + policy, key);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", error_description=\"The credential does not grant access to this resource\"", ApiSchemeHost.Challenge(response));
        Assert.Equal("insufficient_scope", (await ApiSchemeHost.ProblemAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task The_keys_owner_and_permissions_become_claims()
    {
        await using var host = await ApiSchemeHost.StartAsync();

        var organizationKey = await ApiSchemeHost.ClaimsAsync(await host.GetAsync("/key/claims", Reader));
        var userKey = await ApiSchemeHost.ClaimsAsync(await host.GetAsync("/key/claims", "sk_test_demo_alice"));

        Assert.Equal(
            ["api_key_id=api_key_demo_acme_reader", "api_key_name=Acme read-only key", "api_key_owner_type=organization", "name=Acme read-only key", "org_id=org_acme", "permission=posts:read"],
            organizationKey.Order());
        Assert.Contains("sub=user_alice", userKey);
        Assert.Contains("org_id=org_acme", userKey);
        Assert.Contains("api_key_owner_type=user", userKey);
        Assert.DoesNotContain(userKey, c => c.StartsWith("auth_time=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_key_gets_invalid_token_and_no_credentials_a_bare_challenge()
    {
        await using var host = await ApiSchemeHost.StartAsync();

        using var unknown = await host.GetAsync("/key/policy/permission:posts:read", "sk_test_not_a_key");
        using var missing = await host.GetAsync("/key/policy/permission:posts:read", bearer: null, accept: "text/html");

        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The API key is not valid (unknown, revoked or expired)\"", ApiSchemeHost.Challenge(unknown));
        Assert.Equal("invalid_token", (await ApiSchemeHost.ProblemAsync(unknown)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Null(missing.Headers.Location);
        Assert.Equal("Bearer", ApiSchemeHost.Challenge(missing));
    }

    [Fact]
    public async Task A_jwt_is_left_to_the_bearer_scheme_without_asking_workos()
    {
        await using var host = await ApiSchemeHost.StartAsync();
        var token = host.Emulator.SignIn("alice@example.com", "org_acme").AccessToken;
        host.Emulator.ResetRequestCounts();

        using var response = await host.GetAsync("/key/claims", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", ApiSchemeHost.Challenge(response));
        Assert.Equal(0, host.Emulator.RequestCounts.ApiKeyValidations);
    }

    [Fact]
    public async Task A_valid_key_is_validated_at_workos_once_per_cache_period_and_an_invalid_one_every_time()
    {
        await using var host = await ApiSchemeHost.StartAsync();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/key/claims", Reader)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/key/claims", "sk_test_unknown")).StatusCode);
        }

        Assert.Equal(1 + 3, host.Emulator.RequestCounts.ApiKeyValidations);
        host.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/key/claims", Reader)).StatusCode);
        Assert.Equal(5, host.Emulator.RequestCounts.ApiKeyValidations);
    }

    [Fact]
    public async Task A_created_key_works_at_once_and_a_revoked_one_stops_when_its_cache_entry_expires()
    {
        await using var host = await ApiSchemeHost.StartAsync();
        var created = host.Emulator.CreateApiKey(new EmulatorApiKey { Name = "CI", OrganizationId = "org_globex", Permissions = ["posts:read"] });

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/key/policy/permission:posts:read", created.Value)).StatusCode);
        Assert.True(host.Emulator.RevokeApiKey(created.Id!));
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/key/policy/permission:posts:read", created.Value)).StatusCode);
        host.Advance(TimeSpan.FromSeconds(60));

        using var revoked = await host.GetAsync("/key/policy/permission:posts:read", created.Value);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
    }

    [Fact]
    public async Task When_workos_cannot_answer_a_new_key_gets_503_with_retry_after_and_a_cached_key_keeps_working()
    {
        await using var host = await ApiSchemeHost.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/key/claims", Reader)).StatusCode);
        host.Emulator.InjectFault(new EmulatorFault { Route = "/api_keys/validations", Status = 503, Count = null });

        using var cached = await host.GetAsync("/key/claims", Reader);
        using var fresh = await host.GetAsync("/key/claims", Admin);

        Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, fresh.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), fresh.Headers.RetryAfter?.Delta);
        Assert.Empty(fresh.Headers.WwwAuthenticate);
        var problem = await ApiSchemeHost.ProblemAsync(fresh);
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
        Assert.Equal("temporarily_unavailable", problem.GetProperty("error").GetString());

        // Not mistaken for "invalid": once WorkOS answers again the key works, it was never remembered as bad.
        host.Emulator.ClearFaults();
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/key/claims", Admin)).StatusCode);
    }

    [Fact]
    public async Task A_server_error_at_workos_is_unavailable_not_invalid()
    {
        await using var host = await ApiSchemeHost.StartAsync();
        host.Emulator.InjectFault(new EmulatorFault { Route = "/api_keys/validations", Status = 500 });

        using var response = await host.GetAsync("/key/claims", Reader);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }
}
