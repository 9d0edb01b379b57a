using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AuthKit.Testing.Tests.Internal;

/// <summary>The <c>/_emulator</c> HTTP control surface, as an out-of-process E2E suite uses it.</summary>
public class ControlSurfaceHttpTests
{
    [Fact]
    public async Task The_control_surface_requires_the_api_key()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var anonymous = TestSupport.Client(emulator, withApiKey: false);

        using var response = await anonymous.PostAsync("_emulator/keys/rotate", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Summary_reports_base_uri_client_and_clock()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);

        var summary = await TestSupport.JsonAsync(await client.GetAsync("_emulator"));

        Assert.Equal(emulator.BaseUri.ToString(), summary.GetProperty("base_uri").GetString());
        Assert.Equal(emulator.ClientId, summary.GetProperty("client_id").GetString());
        Assert.Equal(emulator.CurrentSigningKeyId, summary.GetProperty("signing_key_id").GetString());
    }

    [Fact]
    public async Task Sessions_can_be_minted_inspected_and_revoked_over_http()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);

        var minted = await TestSupport.JsonAsync(await client.PostAsJsonAsync("_emulator/sign-in", new { email = "alice@example.com", organization_id = "org_globex" }));
        var sid = minted.GetProperty("session_id").GetString()!;
        var before = await TestSupport.JsonAsync(await client.GetAsync($"_emulator/sessions/{sid}"));
        using var revoke = await client.PostAsync($"_emulator/sessions/{sid}/revoke", null);
        var after = await TestSupport.JsonAsync(await client.GetAsync($"_emulator/sessions/{sid}"));
        using var unknown = await client.PostAsync("_emulator/sessions/session_nope/revoke", null);

        Assert.Equal("org_globex", minted.GetProperty("organization_id").GetString());
        Assert.True(before.GetProperty("active").GetBoolean());
        Assert.Equal("user_alice", before.GetProperty("user_id").GetString());
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.False(after.GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_sessions_refreshes_and_rejected_refreshes_are_counted_per_session_over_http()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        var alice = emulator.SignIn("alice@example.com", "org_acme");
        var other = emulator.SignIn("bob@example.com");

        using var first = await TestSupport.RefreshAsync(client, emulator, alice.RefreshToken);
        using var replay = await TestSupport.RefreshAsync(client, emulator, alice.RefreshToken); // already used
        using var otherRefresh = await TestSupport.RefreshAsync(client, emulator, other.RefreshToken);
        var session = await TestSupport.JsonAsync(await client.GetAsync($"_emulator/sessions/{alice.SessionId}"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal(1, session.GetProperty("refreshes").GetInt32());
        Assert.Equal(1, session.GetProperty("rejected_refreshes").GetInt32());
    }

    [Fact]
    public async Task Membership_roles_change_over_http()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        var signIn = emulator.SignIn("bob@example.com");

        using var changed = await client.PostAsJsonAsync("_emulator/memberships/role", new { user_id = "user_bob", organization_id = "org_acme", role = "admin" });
        using var badRole = await client.PostAsJsonAsync("_emulator/memberships/role", new { user_id = "user_bob", organization_id = "org_acme", role = "emperor" });
        using var noMembership = await client.PostAsJsonAsync("_emulator/memberships/role", new { user_id = "user_bob", organization_id = "org_globex", role = "admin" });
        using var refresh = await TestSupport.RefreshAsync(client, emulator, signIn.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badRole.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noMembership.StatusCode);
        Assert.Equal("admin", TestSupport.Claims((await TestSupport.JsonAsync(refresh)).GetProperty("access_token").GetString()!).GetProperty("role").GetString());
    }

    [Fact]
    public async Task Keys_rotate_over_http()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        var oldKid = emulator.CurrentSigningKeyId;

        var rotated = await TestSupport.JsonAsync(await client.PostAsync("_emulator/keys/rotate", null));
        var jwks = JsonDocument.Parse(await client.GetStringAsync($"sso/jwks/{emulator.ClientId}")).RootElement;

        Assert.Equal(emulator.CurrentSigningKeyId, rotated.GetProperty("kid").GetString());
        Assert.NotEqual(oldKid, emulator.CurrentSigningKeyId);
        Assert.Equal(2, jwks.GetProperty("keys").GetArrayLength());
    }

    [Fact]
    public async Task The_clock_offset_is_set_over_http_and_expires_codes()
    {
        await using var emulator = await WorkOSEmulator.StartAsync(new WorkOSEmulatorOptions { AutoSignInEmail = "bob@example.com" });
        using var client = TestSupport.Client(emulator);
        var (code, verifier) = await TestSupport.AuthorizeAsync(emulator, client);

        var clock = await TestSupport.JsonAsync(await client.PostAsJsonAsync("_emulator/clock", new { offset_seconds = 601 }));
        using var exchange = await TestSupport.ExchangeCodeAsync(client, emulator, code, verifier);
        using var bad = await client.PostAsJsonAsync("_emulator/clock", new { offset_seconds = "soon" });

        Assert.Equal(601, clock.GetProperty("offset_seconds").GetDouble());
        Assert.Equal(TimeSpan.FromSeconds(601), emulator.ClockOffset);
        Assert.Equal("invalid_grant", (await TestSupport.JsonAsync(exchange)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Faults_are_injected_and_cleared_over_http()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        var signIn = emulator.SignIn("bob@example.com");

        using var injected = await client.PostAsJsonAsync("_emulator/faults", new { route = "/user_management/authenticate", grant_type = "refresh_token", status = 429, retry_after_seconds = 2, count = (int?)null });
        using var first = await TestSupport.RefreshAsync(client, emulator, signIn.RefreshToken);
        using var second = await TestSupport.RefreshAsync(client, emulator, signIn.RefreshToken);
        using var cleared = await client.DeleteAsync("_emulator/faults");
        using var third = await TestSupport.RefreshAsync(client, emulator, signIn.RefreshToken);
        using var invalid = await client.PostAsJsonAsync("_emulator/faults", new { status = 500 });

        Assert.Equal(HttpStatusCode.OK, injected.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), first.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
    }

    [Fact]
    public async Task Counts_are_read_and_reset_over_http()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        var signIn = emulator.SignIn("bob@example.com");
        using var ok = await TestSupport.RefreshAsync(client, emulator, signIn.RefreshToken);
        using var replay = await TestSupport.RefreshAsync(client, emulator, signIn.RefreshToken);

        var counts = await TestSupport.JsonAsync(await client.GetAsync("_emulator/counts"));
        var reset = await TestSupport.JsonAsync(await client.PostAsync("_emulator/counts/reset", null));

        Assert.Equal(2, counts.GetProperty("refresh_token").GetInt32());
        Assert.Equal(1, counts.GetProperty("rejected_refresh_tokens").GetInt32());
        Assert.Equal(1, counts.GetProperty("active_sessions").GetInt32());
        Assert.Equal(0, reset.GetProperty("refresh_token").GetInt32());
    }

    [Fact]
    public async Task Auto_sign_in_and_codes_are_controlled_over_http()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        var (verifier, challenge) = TestSupport.NewPkce();

        using var auto = await client.PostAsJsonAsync("_emulator/auto-sign-in", new { email = "alice@example.com", organization_id = "org_acme" });
        var body = await TestSupport.SignInAsync(emulator, client);
        var code = (await TestSupport.JsonAsync(await client.PostAsJsonAsync("_emulator/codes", new { email = "bob@example.com", code_challenge = challenge }))).GetProperty("code").GetString()!;
        using var exchanged = await TestSupport.ExchangeCodeAsync(client, emulator, code, verifier);
        using var unknown = await client.PostAsJsonAsync("_emulator/auto-sign-in", new { email = "ghost@example.com" });

        Assert.Equal(HttpStatusCode.OK, auto.StatusCode);
        Assert.Equal("org_acme", body.GetProperty("organization_id").GetString());
        Assert.Equal("user_bob", (await TestSupport.JsonAsync(exchanged)).GetProperty("user").GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }
}
