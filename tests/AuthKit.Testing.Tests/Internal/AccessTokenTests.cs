using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Testing.Tests.Internal;

public class AccessTokenTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-05-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Access_tokens_carry_exactly_the_documented_claims()
    {
        var time = new FakeTimeProvider(Start);
        await using var emulator = await WorkOSEmulator.StartAsync(new WorkOSEmulatorOptions { TimeProvider = time, AccessTokenLifetime = TimeSpan.FromSeconds(30) });

        var signIn = emulator.SignIn("alice@example.com", "org_acme");
        var claims = TestSupport.Claims(signIn.AccessToken);
        var header = TestSupport.Header(signIn.AccessToken);

        Assert.Equal(
            ["sub", "sid", "jti", "org_id", "role", "roles", "permissions", "entitlements", "feature_flags", "client_id", "auth_time", "iss", "iat", "exp"],
            claims.EnumerateObject().Select(p => p.Name));
        Assert.Equal("user_alice", claims.GetProperty("sub").GetString());
        Assert.Equal(signIn.SessionId, claims.GetProperty("sid").GetString());
        Assert.StartsWith("session_", signIn.SessionId);
        Assert.Equal("org_acme", claims.GetProperty("org_id").GetString());
        Assert.Equal("admin", claims.GetProperty("role").GetString());
        Assert.Equal(["admin"], TestSupport.Strings(claims.GetProperty("roles")));
        Assert.Contains("admin:read", TestSupport.Strings(claims.GetProperty("permissions")));
        Assert.Contains("posts:write", TestSupport.Strings(claims.GetProperty("permissions")));
        Assert.Equal(["audit-logs", "sso"], TestSupport.Strings(claims.GetProperty("entitlements")));
        Assert.Equal(["new-dashboard"], TestSupport.Strings(claims.GetProperty("feature_flags")));
        Assert.Equal("client_emulator", claims.GetProperty("client_id").GetString());
        Assert.Equal(Start.ToUnixTimeSeconds(), claims.GetProperty("iat").GetInt64());
        Assert.Equal(Start.ToUnixTimeSeconds(), claims.GetProperty("auth_time").GetInt64());
        Assert.Equal(Start.ToUnixTimeSeconds() + 30, claims.GetProperty("exp").GetInt64());
        Assert.Equal(emulator.Issuer, claims.GetProperty("iss").GetString());
        Assert.Equal($"{emulator.BaseUri}user_management/client_emulator", emulator.Issuer);
        Assert.Equal("RS256", header.GetProperty("alg").GetString());
        Assert.Equal(emulator.CurrentSigningKeyId, header.GetProperty("kid").GetString());
    }

    [Fact]
    public async Task Tokens_verify_against_the_jwks_and_expire_with_the_injected_clock()
    {
        var time = new FakeTimeProvider(Start);
        await using var emulator = await WorkOSEmulator.StartAsync(new WorkOSEmulatorOptions { TimeProvider = time, AccessTokenLifetime = TimeSpan.FromSeconds(5) });
        using var client = TestSupport.Client(emulator, withApiKey: false);
        var token = emulator.SignIn("bob@example.com").AccessToken;

        var fresh = await TestSupport.ValidateAsync(client, emulator, token, time.GetUtcNow());
        time.Advance(TimeSpan.FromSeconds(5));
        var expired = await TestSupport.ValidateAsync(client, emulator, token, time.GetUtcNow());
        var tampered = await TestSupport.ValidateAsync(client, emulator, token[..^4] + (token[^4] == 'A' ? "BBBB" : "AAAA"), Start);

        Assert.True(fresh.IsValid, fresh.Exception?.Message);
        Assert.False(expired.IsValid);
        Assert.False(tampered.IsValid);
    }

    [Fact]
    public async Task Jwks_lists_rsa_signing_keys_and_404s_for_other_clients()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator, withApiKey: false);

        var jwks = JsonDocument.Parse(await client.GetStringAsync($"sso/jwks/{emulator.ClientId}")).RootElement;
        using var other = await client.GetAsync("sso/jwks/client_other");

        var key = jwks.GetProperty("keys").EnumerateArray().Single();
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.Equal("RS256", key.GetProperty("alg").GetString());
        Assert.Equal("sig", key.GetProperty("use").GetString());
        Assert.Equal("AQAB", key.GetProperty("e").GetString());
        Assert.Equal(emulator.CurrentSigningKeyId, key.GetProperty("kid").GetString());
        Assert.True(key.GetProperty("n").GetString()!.Length > 300);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task After_rotation_old_tokens_verify_during_the_grace_period_then_the_old_key_is_gone()
    {
        var time = new FakeTimeProvider(Start);
        await using var emulator = await WorkOSEmulator.StartAsync(new WorkOSEmulatorOptions
        {
            TimeProvider = time, AccessTokenLifetime = TimeSpan.FromHours(1), SigningKeyGracePeriod = TimeSpan.FromMinutes(10),
        });
        using var client = TestSupport.Client(emulator, withApiKey: false);
        var oldKid = emulator.CurrentSigningKeyId;
        var oldToken = emulator.SignIn("bob@example.com").AccessToken;

        var newKid = emulator.RotateSigningKey();
        var newToken = emulator.SignIn("bob@example.com").AccessToken;
        time.Advance(TimeSpan.FromMinutes(9));
        var oldDuringGrace = await TestSupport.ValidateAsync(client, emulator, oldToken, time.GetUtcNow());
        var kidsDuringGrace = JsonDocument.Parse(await client.GetStringAsync($"sso/jwks/{emulator.ClientId}")).RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToList();
        time.Advance(TimeSpan.FromMinutes(1));
        var oldAfterGrace = await TestSupport.ValidateAsync(client, emulator, oldToken, time.GetUtcNow());
        var newAfterGrace = await TestSupport.ValidateAsync(client, emulator, newToken, time.GetUtcNow());

        Assert.NotEqual(oldKid, newKid);
        Assert.Equal(newKid, TestSupport.Header(newToken).GetProperty("kid").GetString());
        Assert.Equal([newKid, oldKid], kidsDuringGrace);
        Assert.True(oldDuringGrace.IsValid, oldDuringGrace.Exception?.Message);
        Assert.False(oldAfterGrace.IsValid);
        Assert.True(newAfterGrace.IsValid, newAfterGrace.Exception?.Message);
    }

    [Fact]
    public async Task Impersonated_sessions_have_act_and_the_impersonator_in_the_response()
    {
        await using var emulator = await WorkOSEmulator.StartAsync(new WorkOSEmulatorOptions { AutoSignInEmail = "charlie@example.com" });
        using var client = TestSupport.Client(emulator);

        var body = await TestSupport.SignInAsync(emulator, client);
        var claims = TestSupport.Claims(body.GetProperty("access_token").GetString()!);
        using var refreshed = await TestSupport.RefreshAsync(client, emulator, body.GetProperty("refresh_token").GetString()!);
        var refreshedBody = await TestSupport.JsonAsync(refreshed);

        Assert.Equal("support@example.com", claims.GetProperty("act").GetProperty("sub").GetString());
        Assert.Equal("support@example.com", body.GetProperty("impersonator").GetProperty("email").GetString());
        Assert.Equal("Investigating support ticket #1234", body.GetProperty("impersonator").GetProperty("reason").GetString());
        Assert.Equal("Impersonation", body.GetProperty("authentication_method").GetString());
        Assert.Equal("support@example.com", refreshedBody.GetProperty("impersonator").GetProperty("email").GetString());
        Assert.Equal("support@example.com", TestSupport.Claims(refreshedBody.GetProperty("access_token").GetString()!).GetProperty("act").GetProperty("sub").GetString());
    }

    [Fact]
    public async Task Signing_in_mints_a_session_that_converts_to_the_cookie_model()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();

        var signIn = emulator.SignIn("charlie@example.com");
        var session = signIn.ToSession();

        Assert.Equal("user_charlie", session.User.Id);
        Assert.Equal("Charlie", session.User.FirstName);
        Assert.Equal("support@example.com", session.Impersonator!.Email);
        Assert.Equal(signIn.RefreshToken, session.RefreshToken);
        Assert.True(emulator.IsSessionActive(signIn.SessionId));
        Assert.Throws<ArgumentException>(() => emulator.SignIn("nobody@example.com"));
        Assert.Throws<ArgumentException>(() => emulator.SignIn("bob@example.com", "org_globex"));
    }
}
