using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Testing.Tests.Internal;

public class RefreshGrantTests
{
    [Fact]
    public async Task Refresh_rotates_the_token_and_keeps_sid_and_auth_time()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        var signIn = emulator.SignIn("bob@example.com");

        using var response = await TestSupport.RefreshAsync(client, emulator, signIn.RefreshToken);
        var body = await TestSupport.JsonAsync(response);
        var before = TestSupport.Claims(signIn.AccessToken);
        var after = TestSupport.Claims(body.GetProperty("access_token").GetString()!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(signIn.RefreshToken, body.GetProperty("refresh_token").GetString());
        Assert.Equal(before.GetProperty("sid").GetString(), after.GetProperty("sid").GetString());
        Assert.Equal(before.GetProperty("auth_time").GetInt64(), after.GetProperty("auth_time").GetInt64());
        Assert.NotEqual(before.GetProperty("jti").GetString(), after.GetProperty("jti").GetString());
        Assert.Equal("org_acme", body.GetProperty("organization_id").GetString());
    }

    [Fact]
    public async Task A_replayed_refresh_token_is_invalid_grant_and_counted()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        var signIn = emulator.SignIn("bob@example.com");
        using var first = await TestSupport.RefreshAsync(client, emulator, signIn.RefreshToken);

        using var replay = await TestSupport.RefreshAsync(client, emulator, signIn.RefreshToken);
        using var next = await TestSupport.RefreshAsync(client, emulator, (await TestSupport.JsonAsync(first)).GetProperty("refresh_token").GetString()!);

        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal("invalid_grant", (await TestSupport.JsonAsync(replay)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(1, emulator.RequestCounts.RejectedRefreshTokens);
    }

    [Fact]
    public async Task Concurrent_refreshes_with_one_token_have_exactly_one_winner()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        var signIn = emulator.SignIn("bob@example.com");

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => TestSupport.RefreshAsync(client, emulator, signIn.RefreshToken)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest));
        Assert.Equal(7, emulator.RequestCounts.RejectedRefreshTokens);
    }

    [Fact]
    public async Task Refresh_with_an_organization_the_user_belongs_to_switches_the_session()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        var signIn = emulator.SignIn("alice@example.com", "org_acme");

        using var response = await TestSupport.RefreshAsync(client, emulator, signIn.RefreshToken, "org_globex");
        var body = await TestSupport.JsonAsync(response);
        var claims = TestSupport.Claims(body.GetProperty("access_token").GetString()!);
        using var plain = await TestSupport.RefreshAsync(client, emulator, body.GetProperty("refresh_token").GetString()!);
        var plainClaims = TestSupport.Claims((await TestSupport.JsonAsync(plain)).GetProperty("access_token").GetString()!);

        Assert.Equal("org_globex", body.GetProperty("organization_id").GetString());
        Assert.Equal("org_globex", claims.GetProperty("org_id").GetString());
        Assert.Equal("member", claims.GetProperty("role").GetString());
        Assert.Equal(["posts:read"], TestSupport.Strings(claims.GetProperty("permissions")));
        Assert.Empty(TestSupport.Strings(claims.GetProperty("entitlements")));
        Assert.Equal("org_globex", plainClaims.GetProperty("org_id").GetString());
        Assert.Equal(TestSupport.Claims(signIn.AccessToken).GetProperty("sid").GetString(), claims.GetProperty("sid").GetString());
    }

    [Fact]
    public async Task Refresh_into_an_organization_without_membership_is_refused_and_the_token_survives()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        var signIn = emulator.SignIn("bob@example.com");

        using var refused = await TestSupport.RefreshAsync(client, emulator, signIn.RefreshToken, "org_globex");
        using var retry = await TestSupport.RefreshAsync(client, emulator, signIn.RefreshToken);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var error = await TestSupport.JsonAsync(refused);
        Assert.Equal("invalid_request", error.GetProperty("error").GetString());
        Assert.Contains("org_globex", error.GetProperty("error_description").GetString());
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("org_acme", (await TestSupport.JsonAsync(retry)).GetProperty("organization_id").GetString());
        Assert.Equal(0, emulator.RequestCounts.RejectedRefreshTokens);
    }

    [Fact]
    public async Task Role_changes_show_up_on_the_next_refresh()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        var signIn = emulator.SignIn("bob@example.com");

        emulator.SetMembershipRole("user_bob", "org_acme", "admin");
        using var response = await TestSupport.RefreshAsync(client, emulator, signIn.RefreshToken);
        var claims = TestSupport.Claims((await TestSupport.JsonAsync(response)).GetProperty("access_token").GetString()!);

        Assert.Equal("member", TestSupport.Claims(signIn.AccessToken).GetProperty("role").GetString());
        Assert.Equal("admin", claims.GetProperty("role").GetString());
        Assert.Equal(["admin"], TestSupport.Strings(claims.GetProperty("roles")));
        Assert.Contains("admin:read", TestSupport.Strings(claims.GetProperty("permissions")));
    }

    [Fact]
    public async Task A_deactivated_membership_drops_the_organization_on_refresh()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        var signIn = emulator.SignIn("bob@example.com");

        emulator.SetMembershipStatus("user_bob", "org_acme", "inactive");
        using var response = await TestSupport.RefreshAsync(client, emulator, signIn.RefreshToken);
        var body = await TestSupport.JsonAsync(response);

        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("organization_id").ValueKind);
        Assert.False(TestSupport.Claims(body.GetProperty("access_token").GetString()!).TryGetProperty("org_id", out _));
    }

    [Fact]
    public async Task A_revoked_session_cannot_refresh()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        var signIn = emulator.SignIn("bob@example.com");

        Assert.True(emulator.RevokeSession(signIn.SessionId));
        using var response = await TestSupport.RefreshAsync(client, emulator, signIn.RefreshToken);

        Assert.Equal("invalid_grant", (await TestSupport.JsonAsync(response)).GetProperty("error").GetString());
        Assert.False(emulator.IsSessionActive(signIn.SessionId));
        Assert.Equal(1, emulator.RequestCounts.RejectedRefreshTokens);
    }

    [Fact]
    public async Task Refresh_tokens_expire_on_the_injected_clock()
    {
        var time = new FakeTimeProvider();
        await using var emulator = await WorkOSEmulator.StartAsync(new WorkOSEmulatorOptions { TimeProvider = time, RefreshTokenLifetime = TimeSpan.FromHours(1) });
        using var client = TestSupport.Client(emulator);
        var signIn = emulator.SignIn("bob@example.com");

        time.Advance(TimeSpan.FromHours(1));
        using var response = await TestSupport.RefreshAsync(client, emulator, signIn.RefreshToken);

        Assert.Equal("invalid_grant", (await TestSupport.JsonAsync(response)).GetProperty("error").GetString());
        Assert.False(emulator.IsSessionActive(signIn.SessionId));
        Assert.Equal(0, emulator.RequestCounts.ActiveSessions);
    }

    [Fact]
    public async Task The_clock_offset_expires_refresh_tokens_too()
    {
        await using var emulator = await WorkOSEmulator.StartAsync(new WorkOSEmulatorOptions { RefreshTokenLifetime = TimeSpan.FromHours(1) });
        using var client = TestSupport.Client(emulator);
        var signIn = emulator.SignIn("bob@example.com");

        emulator.SetClockOffset(TimeSpan.FromHours(2));
        using var response = await TestSupport.RefreshAsync(client, emulator, signIn.RefreshToken);

        Assert.Equal("invalid_grant", (await TestSupport.JsonAsync(response)).GetProperty("error").GetString());
        Assert.Equal(TimeSpan.FromHours(2), emulator.ClockOffset);
    }
}
