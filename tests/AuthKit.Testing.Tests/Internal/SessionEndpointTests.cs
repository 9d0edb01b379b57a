using System.Net;
using System.Net.Http.Json;

namespace AuthKit.Testing.Tests.Internal;

/// <summary>Logout, revoke, organization memberships and organizations.</summary>
public class SessionEndpointTests
{
    [Fact]
    public async Task Logout_ends_the_session_and_redirects_to_return_to()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator, withApiKey: false);
        var signIn = emulator.SignIn("bob@example.com");

        using var response = await client.GetAsync($"user_management/sessions/logout?session_id={signIn.SessionId}&return_to={Uri.EscapeDataString("http://localhost:5000/signed-out")}");
        using var refresh = await TestSupport.RefreshAsync(TestSupport.Client(emulator), emulator, signIn.RefreshToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(new Uri("http://localhost:5000/signed-out"), response.Headers.Location);
        Assert.False(emulator.IsSessionActive(signIn.SessionId));
        Assert.Equal("invalid_grant", (await TestSupport.JsonAsync(refresh)).GetProperty("error").GetString());
        Assert.Equal(1, emulator.RequestCounts.Logout);
    }

    [Fact]
    public async Task Logout_without_return_to_answers_json()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator, withApiKey: false);
        var signIn = emulator.SignIn("bob@example.com");

        using var response = await client.GetAsync($"user_management/sessions/logout?session_id={signIn.SessionId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await TestSupport.JsonAsync(response)).GetProperty("success").GetBoolean());
        Assert.False(emulator.IsSessionActive(signIn.SessionId));
    }

    [Theory]
    [InlineData("")]
    [InlineData("&return_to=https%3A%2F%2Fevil.example%2F")]
    public async Task Logout_rejects_a_missing_session_or_a_foreign_return_to(string suffix)
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator, withApiKey: false);
        var session = suffix.Length == 0 ? "" : "session_id=" + emulator.SignIn("bob@example.com").SessionId;

        using var response = await client.GetAsync($"user_management/sessions/logout?{session}{suffix}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Access_tokens_stay_verifiable_after_logout_until_they_expire()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator, withApiKey: false);
        var signIn = emulator.SignIn("bob@example.com");

        using var _ = await client.GetAsync($"user_management/sessions/logout?session_id={signIn.SessionId}");
        var validation = await TestSupport.ValidateAsync(client, emulator, signIn.AccessToken, DateTimeOffset.UtcNow);

        Assert.True(validation.IsValid);
    }

    [Fact]
    public async Task Revoke_needs_the_api_key_and_a_known_session()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        using var anonymous = TestSupport.Client(emulator, withApiKey: false);
        var signIn = emulator.SignIn("bob@example.com");

        using var unauthorized = await anonymous.PostAsJsonAsync("user_management/sessions/revoke", new { session_id = signIn.SessionId });
        using var unknown = await client.PostAsJsonAsync("user_management/sessions/revoke", new { session_id = "session_nope" });
        using var missing = await client.PostAsJsonAsync("user_management/sessions/revoke", new { });
        Assert.True(emulator.IsSessionActive(signIn.SessionId));
        using var revoked = await client.PostAsJsonAsync("user_management/sessions/revoke", new { session_id = signIn.SessionId });

        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.True((await TestSupport.JsonAsync(revoked)).GetProperty("success").GetBoolean());
        Assert.False(emulator.IsSessionActive(signIn.SessionId));
    }

    [Fact]
    public async Task Memberships_are_listed_in_the_workos_list_shape_and_filtered_by_status()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        emulator.SetMembershipStatus("user_alice", "org_globex", "inactive");

        var all = await TestSupport.JsonAsync(await client.GetAsync("user_management/organization_memberships?user_id=user_alice"));
        var active = await TestSupport.JsonAsync(await client.GetAsync("user_management/organization_memberships?user_id=user_alice&statuses=active"));

        Assert.Equal("list", all.GetProperty("object").GetString());
        Assert.Equal(2, all.GetProperty("data").GetArrayLength());
        var first = active.GetProperty("data").EnumerateArray().Single();
        Assert.Equal("organization_membership", first.GetProperty("object").GetString());
        Assert.Equal("om_alice_acme", first.GetProperty("id").GetString());
        Assert.Equal("user_alice", first.GetProperty("user_id").GetString());
        Assert.Equal("org_acme", first.GetProperty("organization_id").GetString());
        Assert.Equal("Acme Corp", first.GetProperty("organization_name").GetString());
        Assert.Equal("admin", first.GetProperty("role").GetProperty("slug").GetString());
        Assert.Equal("active", first.GetProperty("status").GetString());
        Assert.True(first.TryGetProperty("created_at", out _));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, active.GetProperty("list_metadata").GetProperty("after").ValueKind);
    }

    [Fact]
    public async Task Organizations_are_returned_by_id_with_the_api_key_only()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        using var anonymous = TestSupport.Client(emulator, withApiKey: false);

        var org = await TestSupport.JsonAsync(await client.GetAsync("organizations/org_globex"));
        using var missing = await client.GetAsync("organizations/org_missing");
        using var unauthorized = await anonymous.GetAsync("organizations/org_globex");

        Assert.Equal("organization", org.GetProperty("object").GetString());
        Assert.Equal("org_globex", org.GetProperty("id").GetString());
        Assert.Equal("Globex", org.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
    }
}
