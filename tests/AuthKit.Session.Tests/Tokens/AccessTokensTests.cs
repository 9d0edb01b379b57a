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
