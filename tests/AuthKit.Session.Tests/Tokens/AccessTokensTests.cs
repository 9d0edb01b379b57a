using System.Text.Json.Nodes;
using AuthKit.Session.Tests.Fakes;

namespace AuthKit.Session.Tests.Tokens;

public sealed class AccessTokensTests : IDisposable
{
    private readonly FakeWorkOS _workos = new();

    public void Dispose() => _workos.Dispose();

    [Fact]
    public void Claims_are_parsed_without_verifying_the_signature()
    {
        var token = _workos.MintAccessToken("user_alice", "session_7", "org_acme");
        var forgedSignature = token[..token.LastIndexOf('.')] + ".AAAA";

        var claims = AccessTokens.ParseUnverified(forgedSignature);

        Assert.Equal("user_alice", claims.Subject);
        Assert.Equal("session_7", claims.SessionId);
        Assert.Equal("org_acme", claims.OrganizationId);
        Assert.Equal(["posts:write", "admin:read"], claims.Permissions);
    }

    [Theory]
    [InlineData("""{"sub":"user_a","sid":"s1","org_id":"org_1","role":"admin","roles":["admin","x"],"permissions":["p:1"],"entitlements":["e"],"feature_flags":["f"],"jti":"j","client_id":"c","iss":"i","exp":1700000000,"iat":1690000000,"auth_time":1680000000,"act":{"sub":"admin_1"}}""")]
    public void Every_claim_is_read_in_one_pass(string payload)
    {
        var claims = AccessTokens.ParseUnverified(Jwt(payload));

        Assert.Equal(("user_a", "s1", "org_1", "admin"), (claims.Subject, claims.SessionId, claims.OrganizationId, claims.Role));
        Assert.Equal(["admin", "x"], claims.Roles);
        Assert.Equal(["p:1"], claims.Permissions);
        Assert.Equal(["e"], claims.Entitlements);
        Assert.Equal(["f"], claims.FeatureFlags);
        Assert.Equal(("j", "c", "i", "admin_1"), (claims.TokenId, claims.ClientId, claims.Issuer, claims.ActorSubject));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), claims.ExpiresAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1690000000), claims.IssuedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1680000000), claims.AuthTime);
        Assert.True(claims.TryGetClaim("act", out var act) && act.GetProperty("sub").GetString() == "admin_1");
    }

    [Fact]
    public void Claims_of_the_wrong_type_are_absent_and_a_repeated_name_takes_the_last_value()
    {
        var claims = AccessTokens.ParseUnverified(Jwt("""{"sub":1,"sid":"first","sid":"last","roles":"admin","exp":"soon","act":"x"}"""));

        Assert.Null(claims.Subject);
        Assert.Equal("last", claims.SessionId);
        Assert.Empty(claims.Roles);
        Assert.Null(claims.ExpiresAt);
        Assert.Null(claims.ActorSubject);
        Assert.False(claims.TryGetClaim("nbf", out _));
    }

    [Fact]
    public void A_payload_with_trailing_content_is_malformed()
    {
        Assert.False(AccessTokens.TryParseUnverified(Jwt("""{"sub":"a"} {"sub":"b"}"""), out _));
        Assert.False(AccessTokens.TryParseUnverified(Jwt("""{"sub":"a"}x"""), out _));
        Assert.True(AccessTokens.TryParseUnverified(Jwt("""{"sub":"a"}  """), out _));
    }

    private static string Jwt(string payload) =>
        "eyJhbGciOiJSUzI1NiJ9." + System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(payload)) + ".c2ln";

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b.c.d")]
    [InlineData("a.%%%.c")]
    [InlineData("a.bm90IGpzb24.c")]
    [InlineData("a.WzEsMl0.c")]
    public void Malformed_tokens_throw_an_authkit_exception(string token)
    {
        var error = Assert.Throws<AuthKitException>(() => AccessTokens.ParseUnverified(token));

        if (token.Length > 0)
        {
            Assert.DoesNotContain(token, error.Message, StringComparison.Ordinal);
        }

        Assert.False(AccessTokens.TryParseUnverified(token, out _));
    }

    [Fact]
    public void Expiring_means_exp_is_within_the_buffer()
    {
        var token = _workos.MintAccessToken("user_alice", "s", lifetime: TimeSpan.FromSeconds(120));

        Assert.False(AccessTokens.IsTokenExpiring(token, TimeSpan.FromSeconds(60), _workos.Time));
        _workos.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(AccessTokens.IsTokenExpiring(token, TimeSpan.FromSeconds(60), _workos.Time));
        _workos.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(AccessTokens.IsTokenExpiring(token, TimeSpan.FromSeconds(60), _workos.Time));
        Assert.False(AccessTokens.IsTokenExpiring(token, TimeSpan.Zero, _workos.Time));
        _workos.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.True(AccessTokens.IsTokenExpiring(token, TimeSpan.Zero, _workos.Time));
    }

    [Theory]
    [InlineData("1e300")]
    [InlineData("-1e300")]
    [InlineData("253402300800")]
    public void An_out_of_range_exp_counts_as_absent(string exp)
    {
        var payload = System.Text.Json.Nodes.JsonNode.Parse($$"""{"sub":"user_alice","exp":{{exp}}}""")!.AsObject();
        var token = FakeWorkOS.SignRs256(payload, _workos.CurrentKey);

        var claims = AccessTokens.ParseUnverified(token);

        Assert.Null(claims.ExpiresAt);
    }

    [Fact]
    public void A_token_without_exp_never_expires_and_a_malformed_one_always_does()
    {
        var noExp = FakeWorkOS.SignRs256(new JsonObject { ["sub"] = "user_alice" }, _workos.CurrentKey);

        Assert.False(AccessTokens.IsTokenExpiring(noExp, TimeSpan.FromDays(365), _workos.Time));
        Assert.True(AccessTokens.IsTokenExpiring("garbage", TimeSpan.Zero, _workos.Time));
    }
}
