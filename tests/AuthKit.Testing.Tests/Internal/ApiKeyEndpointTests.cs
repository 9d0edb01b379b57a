using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Testing.Tests.Internal;

public sealed class ApiKeyEndpointTests
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> ValidateAsync(HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/api_keys/validations", body);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task A_seeded_key_validates_with_the_workos_api_key_object()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);

        var (status, body) = await ValidateAsync(client, new { value = "sk_test_demo_acme_reader" });

        Assert.Equal(HttpStatusCode.OK, status);
        var key = body.GetProperty("api_key");
        Assert.Equal("api_key", key.GetProperty("object").GetString());
        Assert.Equal("api_key_demo_acme_reader", key.GetProperty("id").GetString());
        Assert.Equal("Acme read-only key", key.GetProperty("name").GetString());
        Assert.Equal("organization", key.GetProperty("owner").GetProperty("type").GetString());
        Assert.Equal("org_acme", key.GetProperty("owner").GetProperty("id").GetString());
        Assert.False(key.GetProperty("owner").TryGetProperty("organization_id", out _));
        Assert.Equal(["posts:read"], key.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("sk_...ader", key.GetProperty("obfuscated_value").GetString());
        Assert.Equal(JsonValueKind.Null, key.GetProperty("expires_at").ValueKind);
        Assert.Equal(JsonValueKind.String, key.GetProperty("last_used_at").ValueKind);
        Assert.Equal(JsonValueKind.String, key.GetProperty("created_at").ValueKind);
        Assert.False(key.TryGetProperty("value", out _));
        Assert.Equal(1, emulator.RequestCounts.ApiKeyValidations);
    }

    [Fact]
    public async Task A_user_owned_key_carries_the_user_and_its_organization()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);

        var (_, body) = await ValidateAsync(client, new { value = "sk_test_demo_alice" });

        var owner = body.GetProperty("api_key").GetProperty("owner");
        Assert.Equal("user", owner.GetProperty("type").GetString());
        Assert.Equal("user_alice", owner.GetProperty("id").GetString());
        Assert.Equal("org_acme", owner.GetProperty("organization_id").GetString());
    }

    [Theory]
    [InlineData("sk_test_unknown")]
    [InlineData("")]
    public async Task An_unknown_or_empty_value_is_a_null_api_key(string value)
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);

        var (status, body) = await ValidateAsync(client, new { value });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("api_key").ValueKind);
    }

    [Fact]
    public async Task Validation_needs_the_apps_api_key()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator, withApiKey: false);

        var (status, body) = await ValidateAsync(client, new { value = "sk_test_demo_acme_reader" });

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("unauthorized", body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_key_stops_validating_at_its_expiry_on_the_emulators_clock()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var seed = EmulatorSeed.Demo;
        seed.ApiKeys.Add(new EmulatorApiKey { Name = "Short", Value = "sk_test_short_lived", OrganizationId = "org_globex", ExpiresAt = time.GetUtcNow().AddMinutes(1) });
        await using var emulator = await WorkOSEmulator.StartAsync(new WorkOSEmulatorOptions { Seed = seed, TimeProvider = time });
        using var client = TestSupport.Client(emulator);

        var before = await ValidateAsync(client, new { value = "sk_test_short_lived" });
        time.Advance(TimeSpan.FromMinutes(1));
        var after = await ValidateAsync(client, new { value = "sk_test_short_lived" });

        Assert.Equal(JsonValueKind.Object, before.Body.GetProperty("api_key").ValueKind);
        Assert.Equal(JsonValueKind.Null, after.Body.GetProperty("api_key").ValueKind);
    }

    [Fact]
    public async Task The_control_surface_creates_and_revokes_keys_over_http()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);

        using var created = await client.PostAsJsonAsync("/_emulator/api_keys", new { name = "CI key", organization_id = "org_globex", permissions = new[] { "posts:write" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var answer = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        var value = answer.GetProperty("value").GetString()!;
        var id = answer.GetProperty("id").GetString()!;
        Assert.StartsWith("sk_test_", value, StringComparison.Ordinal);
        Assert.StartsWith("api_key_", id, StringComparison.Ordinal);
        var valid = await ValidateAsync(client, new { value });
        Assert.Equal(["posts:write"], valid.Body.GetProperty("api_key").GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));

        using var revoked = await client.PostAsync($"/_emulator/api_keys/{id}/revoke", null);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await ValidateAsync(client, new { value })).Body.GetProperty("api_key").ValueKind);
        using var again = await client.PostAsync($"/_emulator/api_keys/{id}/revoke", null);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task The_control_surface_rejects_bad_keys_with_400_and_needs_the_api_key()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        using var anonymous = TestSupport.Client(emulator, withApiKey: false);

        using var unknownOrg = await client.PostAsJsonAsync("/_emulator/api_keys", new { name = "x", organization_id = "org_nope" });
        using var notMember = await client.PostAsJsonAsync("/_emulator/api_keys", new { name = "x", organization_id = "org_globex", user_id = "user_bob" });
        using var badValue = await client.PostAsJsonAsync("/_emulator/api_keys", new { name = "x", organization_id = "org_acme", value = "pk_live_123456" });
        using var duplicate = await client.PostAsJsonAsync("/_emulator/api_keys", new { name = "x", organization_id = "org_acme", value = "sk_test_demo_alice" });
        using var noAuth = await anonymous.PostAsJsonAsync("/_emulator/api_keys", new { name = "x", organization_id = "org_acme" });

        Assert.Equal(HttpStatusCode.BadRequest, unknownOrg.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notMember.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badValue.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noAuth.StatusCode);
    }

    [Fact]
    public async Task Delete_api_key_revokes_as_workos_does()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);

        using var deleted = await client.DeleteAsync("/api_keys/api_key_demo_acme_admin");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await ValidateAsync(client, new { value = "sk_test_demo_acme_admin" })).Body.GetProperty("api_key").ValueKind);
    }

    [Fact]
    public void Seed_json_reads_api_keys_and_reports_bad_ones_together()
    {
        var seed = EmulatorSeed.FromJson("""
            {
              "users": [{ "id": "user_a", "email": "a@example.com" }],
              "roles": [{ "slug": "member" }],
              "organizations": [{ "id": "org_a", "name": "A", "memberships": [{ "user_id": "user_a" }] }],
              "api_keys": [
                { "name": "CI", "value": "sk_test_ci_key", "organization_id": "org_a", "permissions": ["posts:read"] },
                { "name": "Mine", "organization_id": "org_a", "user_id": "user_a", "expires_at": "2030-01-01T00:00:00Z" }
              ]
            }
            """);
        Assert.Equal(2, seed.ApiKeys.Count);
        Assert.Equal(["posts:read"], seed.ApiKeys[0].Permissions);
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), seed.ApiKeys[1].ExpiresAt);

        var error = Assert.Throws<ArgumentException>(() => EmulatorSeed.FromJson("""
            {
              "users": [{ "id": "user_a", "email": "a@example.com" }],
              "roles": [{ "slug": "member" }],
              "organizations": [{ "id": "org_a", "name": "A" }],
              "api_keys": [
                { "name": "bad value", "value": "pk_nope", "organization_id": "org_a" },
                { "name": "no org", "organization_id": "org_x" },
                { "name": "not a member", "organization_id": "org_a", "user_id": "user_a" }
              ]
            }
            """));
        Assert.Contains("does not start with 'sk_'", error.Message, StringComparison.Ordinal);
        Assert.Contains("unknown organization 'org_x'", error.Message, StringComparison.Ordinal);
        Assert.Contains("no active membership in 'org_a'", error.Message, StringComparison.Ordinal);
    }
}
