using System.Text.Json;
using AuthKit.Session.Json;
using AuthKit.Session.Tests.TestSupport;

namespace AuthKit.Session.Tests.Sealing;

/// <summary>Round trips through the real npm package (tests/interop/oracle.mjs), in both directions.</summary>
public sealed class OracleRoundTripTests
{
    private const string Password = "authkit-session-cookie-password-0123456789";

    private const string EdgeCaseJson =
        """{"latin":"Crème brûlée","emoji":"😀 👩‍💻 🇺🇦","lone":"a\ud800b\udfff","controls":"\u0000\u001f\u007f\t\n","separators":"x\u2028y\u2029z","escapes":"quote\" backslash\\ </script>&'+","numbers":[0,-0,1.5,1e21,1e-7,12345678901234567890,0.1],"10":"index key","2":null,"nested":{"a":[true,false,{}]},"keyé😀":"unicode key"}""";

    [Fact]
    public void A_session_sealed_here_is_read_by_the_npm_package_unchanged()
    {
        Session session = SessionEncryptionTests.RealisticSession();
        string seal = new SessionEncryption().SealSession(session, Password);

        string nodeJson = NodeOracle.Unseal(seal, Password).Output;

        Assert.InRange(nodeJson.Length, 1400, 1800);
        Assert.Equal(IronSeal.Unseal(seal, Password), nodeJson);
        using JsonDocument doc = JsonDocument.Parse(nodeJson);
        Assert.Equal(session.AccessToken, doc.RootElement.GetProperty("accessToken").GetString());
        Assert.Equal("support@example.com", doc.RootElement.GetProperty("impersonator").GetProperty("email").GetString());
        Assert.True(doc.RootElement.GetProperty("user").GetProperty("futureField").GetProperty("kept").GetBoolean());
    }

    [Fact]
    public void A_session_sealed_by_the_npm_package_is_read_here_and_rewritten_without_loss()
    {
        string json = IronSeal.Unseal(new SessionEncryption().SealSession(SessionEncryptionTests.RealisticSession(), Password), Password);
        string nodeSeal = NodeOracle.Seal(json, Password, 0);

        var encryption = new SessionEncryption();
        Session session = encryption.UnsealSession(nodeSeal, Password);
        string rewritten = encryption.SealSession(session, Password);

        Assert.Equal("Zoë 👩‍💻", session.User.FirstName);
        Assert.Equal(json, IronSeal.Unseal(rewritten, Password));
        Assert.Equal(json, NodeOracle.Unseal(rewritten, Password).Output);
    }

    [Fact]
    public void Edge_case_json_sealed_here_unseals_in_node_to_the_same_json_stringify_text()
    {
        string seal = IronSeal.Seal(EdgeCaseJson, Password, TimeSpan.Zero);

        Assert.Equal(IronSeal.Unseal(seal, Password), NodeOracle.Unseal(seal, Password).Output);
    }

    [Fact]
    public void Edge_case_json_sealed_by_node_unseals_here_to_the_same_json_stringify_text()
    {
        string nodeSeal = NodeOracle.Seal(EdgeCaseJson, Password, 0);

        string ours = IronSeal.Unseal(nodeSeal, Password);

        Assert.Equal(NodeOracle.Unseal(nodeSeal, Password).Output, ours);
        Assert.Equal(JsJson.Canonicalize(EdgeCaseJson), ours);
    }

    [Fact]
    public void With_the_same_clock_and_randomness_node_and_dotnet_produce_the_same_seal()
    {
        const long now = 1_767_225_600_000;
        string randomHex = Convert.ToHexStringLower(Enumerable.Range(0, 80).Select(i => (byte)(i * 37 + 11)).ToArray());
        string json = IronSeal.Unseal(new SessionEncryption().SealSession(SessionEncryptionTests.RealisticSession(), Password), Password);

        string nodeSeal = NodeOracle.Seal(json, Password, 600, now, randomHex);
        string ours = IronSeal.Seal(json, Password, TimeSpan.FromSeconds(600), Clock.At(now), new FixedRandom(Convert.FromHexString(randomHex)).Fill);

        Assert.Equal(nodeSeal, ours);
    }

    [Fact]
    public void Pkce_state_sealed_here_is_accepted_by_node_and_node_state_is_accepted_here()
    {
        const long now = 1_800_000_000_000;
        var encryption = new SessionEncryption(Clock.At(now));
        string ours = encryption.SealState(
            new PkceState { Nonce = Pkce_.Nonce, CodeVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", ReturnPathname = "/dashboard?tab=billing", CustomState = "custom-state-✓" },
            Password);

        string nodeView = NodeOracle.Unseal(ours, Password, 600, now + 1000).Output;
        Assert.Equal(
            $$"""{"nonce":"{{Pkce_.Nonce}}","codeVerifier":"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk","returnPathname":"/dashboard?tab=billing","customState":"custom-state-✓","issuedAt":{{now}}}""",
            nodeView);

        string nodeSeal = NodeOracle.Seal(nodeView, Password, 600, now);
        PkceState state = new SessionEncryption(Clock.At(now + 599_000)).UnsealState(nodeSeal, Password);
        Assert.Equal("custom-state-✓", state.CustomState);
        Assert.Equal(PkceCookies.GetCookieName(nodeSeal), NodeOracle.CookieName(nodeSeal));
    }

    [Fact]
    public void Expiry_is_enforced_identically_with_the_60_second_skew()
    {
        const long now = 1_800_000_000_000;
        string nodeSeal = NodeOracle.Seal("""{"a":1}""", Password, 1, now);

        Assert.Equal("""{"a":1}""", IronSeal.Unseal(nodeSeal, Password, Clock.At(now + 60_999)));
        Assert.Equal("""{"a":1}""", NodeOracle.Unseal(nodeSeal, Password, 0, now + 60_999).Output);
        var ex = Assert.Throws<SessionEncryptionException>(() => IronSeal.Unseal(nodeSeal, Password, Clock.At(now + 61_000)));
        Assert.Equal(SessionEncryptionFailureReason.Expired, ex.Reason);
        Assert.Equal("Expired seal", NodeOracle.Unseal(nodeSeal, Password, 0, now + 61_000).Error);
    }

    [Fact]
    public void Both_sides_reject_a_wrong_password_and_a_tampered_seal_the_same_way()
    {
        string seal = new SessionEncryption().SealSession(SessionEncryptionTests.RealisticSession(), Password);
        string[] parts = seal.Split('*');
        parts[4] = (parts[4][0] == 'A' ? 'B' : 'A') + parts[4][1..];
        string tampered = string.Join('*', parts);

        Assert.Equal("Bad hmac value", NodeOracle.Unseal(seal, "another-password-that-is-long-enough-0123").Error);
        Assert.Equal("Bad hmac value", NodeOracle.Unseal(tampered, Password).Error);
        Assert.Equal("Bad hmac value", Assert.Throws<SessionEncryptionException>(() => IronSeal.Unseal(tampered, Password)).Message);
    }

    private static class Pkce_
    {
        public const string Nonce = "d0566c2c-1b16-4d82-b66b-5cb2f087d082";
    }
}
