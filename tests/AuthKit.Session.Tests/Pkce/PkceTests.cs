using AuthKit.Session.Json;
using AuthKit.Session.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Session.Tests.PkceFlow;

public sealed class PkceTests
{
    private const string Password = "authkit-session-cookie-password-0123456789";

    [Fact]
    public void A_code_verifier_is_43_base64url_characters_and_fresh_each_time()
    {
        string a = Pkce.CreateCodeVerifier();
        string b = Pkce.CreateCodeVerifier();

        Assert.Matches("^[A-Za-z0-9_-]{43}$", a);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void The_challenge_is_the_rfc_7636_s256_transform()
    {
        // RFC 7636 appendix B.
        Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            Pkce.CreateCodeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
    }

    [Fact]
    public void A_nonce_is_a_version_4_uuid()
    {
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", Pkce.CreateNonce());
    }

    [Fact]
    public void State_sealed_by_the_npm_package_unseals_with_its_members()
    {
        JsNode vector = InteropVectors.Named("cases", "pkce-state-e2e-createSignIn");
        var encryption = new SessionEncryption(Clock.At(vector.Ms("recordedAtUnixMs")));

        PkceState state = encryption.UnsealState(vector.Str("sealed")!, vector.Str("password")!);

        JsNode expected = vector.Get("expectedJson")!;
        Assert.Equal(expected.Str("nonce"), state.Nonce);
        Assert.Equal(expected.Str("codeVerifier"), state.CodeVerifier);
        Assert.Equal("/dashboard?tab=billing", state.ReturnPathname);
        Assert.Equal("custom-state-✓", state.CustomState);
        Assert.Equal("https://app.example.com/auth/callback", state.RedirectUri);
        Assert.Equal(expected.Ms("issuedAt"), state.IssuedAt);
    }

    [Fact]
    public void Sealed_state_has_the_package_member_order_with_issued_at_last_and_a_600_second_expiration()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_601_000));
        var encryption = new SessionEncryption(clock);

        string seal = encryption.SealState(new PkceState { Nonce = "n", CodeVerifier = "v", CustomState = "c", IssuedAt = 42 }, Password);

        Assert.Equal("""{"nonce":"n","codeVerifier":"v","customState":"c","issuedAt":1767225601000}""", IronSeal.Unseal(seal, Password, clock));
        Assert.Equal("1767226201000", seal.Split('*')[5]);
    }

    [Fact]
    public void State_is_accepted_up_to_600_seconds_after_it_was_issued()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));
        var encryption = new SessionEncryption(clock);
        string seal = encryption.SealState(new PkceState { Nonce = "n", CodeVerifier = "v" }, Password);

        clock.Advance(TimeSpan.FromSeconds(600));
        Assert.Equal("v", encryption.UnsealState(seal, Password).CodeVerifier);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        var ex = Assert.Throws<PkceStateException>(() => encryption.UnsealState(seal, Password));
        Assert.Equal(PkceStateFailureReason.Expired, ex.Reason);
    }

    [Theory]
    [InlineData(-60_000, true)]
    [InlineData(-60_001, false)]
    [InlineData(600_000, true)]
    [InlineData(600_001, false)]
    public void The_issued_at_check_tolerates_clocks_60_seconds_behind_and_nothing_past_600_seconds(long ageMs, bool accepted)
    {
        const long now = 1_800_000_000_000;
        // Sealed with a long ttl so only the payload-level issuedAt check decides.
        string seal = IronSeal.Seal($$"""{"nonce":"n","codeVerifier":"v","issuedAt":{{now - ageMs}}}""", Password, TimeSpan.FromDays(1), Clock.At(now - 1000));
        var encryption = new SessionEncryption(Clock.At(now));

        if (accepted)
        {
            Assert.Equal(now - ageMs, encryption.UnsealState(seal, Password).IssuedAt);
        }
        else
        {
            var ex = Assert.Throws<PkceStateException>(() => encryption.UnsealState(seal, Password));
            Assert.Equal(PkceStateFailureReason.Expired, ex.Reason);
        }
    }

    [Theory]
    [InlineData("""{"codeVerifier":"v","issuedAt":1}""")]
    [InlineData("""{"nonce":"n","issuedAt":1}""")]
    [InlineData("""{"nonce":"n","codeVerifier":"v"}""")]
    [InlineData("""{"nonce":1,"codeVerifier":"v","issuedAt":1}""")]
    [InlineData("""{"nonce":"n","codeVerifier":"v","issuedAt":"1"}""")]
    [InlineData("""{"nonce":"n","codeVerifier":"v","issuedAt":1,"returnPathname":5}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""null""")]
    public void State_with_the_wrong_shape_is_rejected_as_malformed(string json)
    {
        string seal = IronSeal.Seal(json, Password, TimeSpan.Zero);

        var ex = Assert.Throws<PkceStateException>(() => new SessionEncryption(Clock.At(1)).UnsealState(seal, Password));

        Assert.Equal(PkceStateFailureReason.Malformed, ex.Reason);
    }

    [Fact]
    public void Tampered_state_is_rejected_as_unsealable()
    {
        var encryption = new SessionEncryption();
        string seal = encryption.SealState(new PkceState { Nonce = "n", CodeVerifier = "verifier-value" }, Password);
        string tampered = seal.Replace("*1*", "*1*0", StringComparison.Ordinal);

        var ex = Assert.Throws<PkceStateException>(() => encryption.UnsealState(tampered, Password));

        Assert.Equal(PkceStateFailureReason.Unsealable, ex.Reason);
        Assert.IsType<SessionEncryptionException>(ex.InnerException);
        Assert.DoesNotContain("verifier-value", ex.ToString());
    }

    [Fact]
    public void State_sealed_with_another_password_is_rejected_as_unsealable()
    {
        string seal = new SessionEncryption().SealState(new PkceState { Nonce = "n", CodeVerifier = "v" }, Password);

        var ex = Assert.Throws<PkceStateException>(() => new SessionEncryption().UnsealState(seal, "another-password-long-enough-0123456789"));

        Assert.Equal(PkceStateFailureReason.Unsealable, ex.Reason);
    }

    [Fact]
    public void Authorization_state_ties_the_cookie_name_to_the_sealed_state_and_the_challenge_to_the_verifier()
    {
        var options = new AuthKitOptions { CookiePassword = Password, RedirectUri = "https://app.example.com/callback" };
        var encryption = new SessionEncryption();

        PkceAuthorizationState auth = Pkce.CreateAuthorizationState(encryption, options, "/orders?id=7", "custom");

        PkceState state = encryption.UnsealState(auth.SealedState, Password);
        Assert.Equal(PkceCookies.GetCookieName(auth.SealedState), auth.CookieName);
        Assert.Equal(Pkce.CreateCodeChallenge(state.CodeVerifier), auth.CodeChallenge);
        Assert.Equal("S256", auth.CodeChallengeMethod);
        Assert.Equal("/orders?id=7", state.ReturnPathname);
        Assert.Equal("custom", state.CustomState);
        Assert.Null(state.RedirectUri);
        Assert.StartsWith(auth.CookieName + "=" + auth.SealedState + "; Path=/; Max-Age=600; HttpOnly; Secure; SameSite=Lax", auth.SetCookieHeader);
    }

    [Fact]
    public void Oversized_custom_state_fails_before_any_sealing()
    {
        var options = new AuthKitOptions { CookiePassword = Password };

        Assert.Throws<PkcePayloadTooLargeException>(
            () => Pkce.CreateAuthorizationState(new SessionEncryption(), options, customState: new string('x', 2049)));
    }

    [Fact]
    public void A_return_path_that_makes_the_cookie_too_large_is_rejected()
    {
        var options = new AuthKitOptions { CookiePassword = Password };

        var ex = Assert.Throws<PkcePayloadTooLargeException>(
            () => Pkce.CreateAuthorizationState(new SessionEncryption(), options, returnPathname: "/" + new string('p', 1500), customState: new string('x', 2000)));

        Assert.Equal(3800, ex.LimitBytes);
    }
}
