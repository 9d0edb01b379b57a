using System.Text;
using System.Text.Json;
using AuthKit.Session.Json;
using AuthKit.Session.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Session.Tests.Sealing;

public sealed class SessionEncryptionTests
{
    private const string Password = "authkit-session-cookie-password-0123456789";

    internal static Session RealisticSession() => new()
    {
        AccessToken = "eyJhbGciOiJSUzI1NiIsImtpZCI6InNzb19vaWRjX2tleV9wYWlyXzAxIiwidHlwIjoiSldUIn0." +
            Convert.ToBase64String(Encoding.UTF8.GetBytes(new string('x', 420))).TrimEnd('=') + "." + new string('s', 342),
        RefreshToken = "Zr2kT9uYbXq4mW7nLp0sVd3aHc8eJf6g",
        User = new WorkOSUser
        {
            Id = "user_01JABCDEFGH0123456789KLMNP",
            Email = "zoë.ångström@example.com",
            EmailVerified = true,
            Name = null,
            FirstName = "Zoë 👩‍💻",
            LastName = "Ångström \"quoted\" \\ </script> \u2028",
            ProfilePictureUrl = "https://workoscdn.com/images/v1/abc123.png",
            LastSignInAt = "2025-06-01T12:34:56.789Z",
            Locale = "sv-SE",
            CreatedAt = "2024-01-02T03:04:05.678Z",
            UpdatedAt = "2025-06-01T12:34:56.789Z",
            ExternalId = "ext-42",
            Metadata = JsonDocument.Parse("""{"plan":"pro","team":"日本語","n":1.5,"nested":{"a":[1,2,{"b":null}]}}""").RootElement,
            ExtensionData = new() { ["futureField"] = JsonDocument.Parse("""{"kept":true}""").RootElement },
        },
        Impersonator = new Impersonator { Email = "support@example.com", Reason = "Investigating ticket #1234 — ünïcode" },
        ExtensionData = new() { ["nodeOnly"] = JsonDocument.Parse("\"value\"").RootElement },
    };

    [Fact]
    public void A_realistic_session_seals_to_about_one_and_a_half_kilobytes_and_round_trips()
    {
        var encryption = new SessionEncryption();
        Session session = RealisticSession();

        string seal = encryption.SealSession(session, Password);
        Session back = encryption.UnsealSession(seal, Password);

        Assert.InRange(IronSeal.Unseal(seal, Password).Length, 1400, 1800);
        Assert.EndsWith("~2", seal);
        Assert.Equal(session.AccessToken, back.AccessToken);
        Assert.Equal(session.User.FirstName, back.User.FirstName);
        Assert.Equal(session.User.LastName, back.User.LastName);
        Assert.Equal("Investigating ticket #1234 — ünïcode", back.Impersonator!.Reason);
        Assert.True(back.User.ExtensionData!["futureField"].GetProperty("kept").GetBoolean());
        Assert.Equal("value", back.ExtensionData!["nodeOnly"].GetString());
        Assert.Equal("日本語", back.User.Metadata!.Value.GetProperty("team").GetString());
    }

    [Fact]
    public void Session_json_uses_the_package_member_order_and_omits_a_null_impersonator_and_locale()
    {
        var session = new Session
        {
            AccessToken = "at",
            RefreshToken = "rt",
            User = new WorkOSUser { Id = "user_1", Email = "a@example.com" },
        };

        string json = IronSeal.Unseal(new SessionEncryption().SealSession(session, Password), Password);

        Assert.Equal(
            """{"accessToken":"at","refreshToken":"rt","user":{"object":"user","id":"user_1","email":"a@example.com","emailVerified":false,"name":null,"firstName":null,"profilePictureUrl":null,"lastName":null,"lastSignInAt":null,"createdAt":null,"updatedAt":null,"externalId":null,"metadata":{}}}""",
            json);
    }

    [Fact]
    public void A_cookie_written_by_the_node_package_is_rewritten_byte_for_byte()
    {
        JsNode vector = InteropVectors.Named("cases", "session-e2e-handleCallback");
        var encryption = new SessionEncryption(Clock.At(vector.Ms("recordedAtUnixMs")));

        Session session = encryption.UnsealSession(vector.Str("sealed")!, vector.Str("password")!);
        string resealed = encryption.SealSession(session, Password);

        using IronSeal.UnsealedPlaintext plaintext = IronSeal.UnsealCore(resealed, Password, vector.Ms("recordedAtUnixMs"));
        Assert.Equal(vector.Str("expectedPlaintext"), Encoding.UTF8.GetString(plaintext.Span));
    }

    [Theory]
    [InlineData("session-realistic")]
    [InlineData("session-no-impersonator-nulls")]
    [InlineData("large-3kb")]
    public void Sessions_sealed_by_the_node_package_unseal_into_the_typed_model(string name)
    {
        JsNode vector = InteropVectors.Named("cases", name);
        JsNode expected = vector.Get("expectedJson")!;

        Session session = new SessionEncryption().UnsealSession(vector.Str("sealed")!, vector.Str("password")!);

        Assert.Equal(expected.Str("accessToken"), session.AccessToken);
        Assert.Equal(expected.Str("refreshToken"), session.RefreshToken);
        Assert.Equal(expected.Get("user")!.Str("email"), session.User.Email);
        Assert.Equal(expected.Get("impersonator")?.Str("email"), session.Impersonator?.Email);
    }

    [Fact]
    public void A_legacy_suffix_session_is_read_from_its_persistent_member()
    {
        JsNode vector = InteropVectors.Named("cases", "suffix-1-persistent");

        Session session = new SessionEncryption().UnsealSession(vector.Str("sealed")!, vector.Str("password")!);

        Assert.Equal(vector.Get("expectedJson")!.Str("accessToken"), session.AccessToken);
    }

    [Fact]
    public void A_payload_that_is_not_a_session_is_rejected_as_invalid_payload()
    {
        string seal = IronSeal.Seal("""{"accessToken":"a"}""", Password, TimeSpan.Zero);

        var ex = Assert.Throws<SessionEncryptionException>(() => new SessionEncryption().UnsealSession(seal, Password));

        Assert.Equal(SessionEncryptionFailureReason.InvalidPayload, ex.Reason);
        Assert.StartsWith("Failed to decrypt session", ex.Message);
    }

    [Fact]
    public void A_tampered_session_cookie_fails_with_hmac_mismatch_and_no_secret_in_the_message()
    {
        var encryption = new SessionEncryption();
        string seal = encryption.SealSession(RealisticSession(), Password);
        char[] chars = seal.ToCharArray();
        int cipherStart = seal.IndexOf('*', seal.IndexOf('*', 9) + 1) + 1;
        chars[cipherStart + 5] = chars[cipherStart + 5] == 'A' ? 'B' : 'A';

        var ex = Assert.Throws<SessionEncryptionException>(() => encryption.UnsealSession(new string(chars), Password));

        Assert.Equal(SessionEncryptionFailureReason.HmacMismatch, ex.Reason);
        Assert.DoesNotContain(Password, ex.ToString());
        Assert.DoesNotContain("Zr2kT9uYbXq4mW7nLp0sVd3aHc8eJf6g", ex.ToString());
    }

    [Fact]
    public void A_session_sealed_with_another_password_fails_with_hmac_mismatch()
    {
        string seal = new SessionEncryption().SealSession(RealisticSession(), Password);

        var ex = Assert.Throws<SessionEncryptionException>(
            () => new SessionEncryption().UnsealSession(seal, "another-password-that-is-long-enough-0123"));

        Assert.Equal(SessionEncryptionFailureReason.HmacMismatch, ex.Reason);
    }

    [Fact]
    public void Sessions_never_expire_because_they_are_sealed_without_ttl()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_000));
        var encryption = new SessionEncryption(clock);
        string seal = encryption.SealSession(RealisticSession(), Password);

        clock.Advance(TimeSpan.FromDays(3650));

        Assert.Equal("", seal.Split('*')[5]);
        Assert.NotNull(encryption.UnsealSession(seal, Password));
    }

    [Fact]
    public void Seal_session_with_recorded_randomness_is_deterministic()
    {
        byte[] pool = Convert.FromHexString(InteropVectors.Named("deterministicSeal", "det-session-ttl0").Str("randomHex")!);
        var first = new SessionEncryption(Clock.At(1), new FixedRandom(pool).Fill);
        var second = new SessionEncryption(Clock.At(1), new FixedRandom(pool).Fill);

        Assert.Equal(first.SealSession(RealisticSession(), Password), second.SealSession(RealisticSession(), Password));
    }
}
