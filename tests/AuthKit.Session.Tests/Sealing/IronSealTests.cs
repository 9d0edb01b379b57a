using AuthKit.Session.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Session.Tests.Sealing;

public sealed class IronSealTests
{
    private const string Password = "authkit-session-cookie-password-0123456789";

    [Fact]
    public void Seal_then_unseal_returns_the_json_stringify_form_of_the_input()
    {
        string seal = IronSeal.Seal(" { \"b\" : [1, 2.50, -0, 1e21, \"\\u00e9\\/\"], \"2\": true, \"1\": null } ", Password, TimeSpan.Zero);

        Assert.Equal("""{"1":null,"2":true,"b":[1,2.5,0,1e+21,"é/"]}""", IronSeal.Unseal(seal, Password));
    }

    [Fact]
    public void A_seal_has_eight_components_lowercase_hex_salts_and_the_version_suffix()
    {
        string seal = IronSeal.Seal("{}", Password, TimeSpan.Zero);

        string[] parts = seal[..^2].Split('*');
        Assert.Equal(8, parts.Length);
        Assert.Equal("Fe26.2", parts[0]);
        Assert.Equal("1", parts[1]);
        Assert.Matches("^[0-9a-f]{64}$", parts[2]);
        Assert.Equal(22, parts[3].Length);
        Assert.Equal("", parts[5]);
        Assert.Matches("^[0-9a-f]{64}$", parts[6]);
        Assert.Equal(43, parts[7].Length);
        Assert.EndsWith("~2", seal);
    }

    [Fact]
    public void A_ttl_seal_is_valid_until_sixty_seconds_after_its_expiration()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));
        string seal = IronSeal.Seal("""{"a":1}""", Password, TimeSpan.FromMinutes(10), clock);
        Assert.Equal("1800000600000", seal.Split('*')[5]);

        clock.Advance(TimeSpan.FromMinutes(11) - TimeSpan.FromMilliseconds(1));
        Assert.Equal("""{"a":1}""", IronSeal.Unseal(seal, Password, clock));

        clock.Advance(TimeSpan.FromMilliseconds(1));
        var ex = Assert.Throws<SessionEncryptionException>(() => IronSeal.Unseal(seal, Password, clock));
        Assert.Equal(SessionEncryptionFailureReason.Expired, ex.Reason);
    }

    [Fact]
    public void Text_that_is_not_json_cannot_be_sealed()
    {
        var ex = Assert.Throws<SessionEncryptionException>(() => IronSeal.Seal("{not json", Password, TimeSpan.Zero));

        Assert.Equal(SessionEncryptionFailureReason.InvalidJson, ex.Reason);
        Assert.Equal("Data is not JSON serializable", ex.Message);
    }

    [Theory]
    [InlineData(-1000)]
    [InlineData(0.5)]
    public void Negative_or_fractional_millisecond_lifetimes_are_rejected(double milliseconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => IronSeal.Seal("{}", Password, TimeSpan.FromTicks((long)(milliseconds * TimeSpan.TicksPerMillisecond))));
    }

    [Fact]
    public void Every_single_character_change_of_a_seal_is_rejected()
    {
        string seal = IronSeal.Seal("""{"accessToken":"secret-token"}""", Password, TimeSpan.Zero);
        string body = seal[..^2];

        // The digest's last character carries 2 bits the decoder ignores (lenient like atob), so it is not part of the check.
        for (int i = 0; i < body.Length - 1; i++)
        {
            char replacement = body[i] == 'a' ? 'b' : 'a';
            string tampered = body[..i] + replacement + body[(i + 1)..] + "~2";
            var ex = Assert.Throws<SessionEncryptionException>(() => IronSeal.Unseal(tampered, Password));
            Assert.DoesNotContain("secret-token", ex.Message);
        }
    }

    [Theory]
    [InlineData("2", false)]
    [InlineData("02", false)]
    [InlineData(" 2", false)]
    [InlineData("+2x", false)]
    [InlineData("2.9", false)]
    [InlineData("\u00a02", false)]
    [InlineData("1", true)]
    [InlineData("3", true)]
    [InlineData("-2", true)]
    [InlineData("", true)]
    [InlineData("x2", true)]
    [InlineData("22", true)]
    public void The_version_suffix_follows_javascript_parseInt(string suffix, bool usesPersistent)
    {
        Assert.Equal(!usesPersistent, IronSeal.IsJsParseIntTwo(suffix));
    }

    [Fact]
    public void Seal_without_a_time_provider_uses_the_system_clock()
    {
        string seal = IronSeal.Seal("{}", Password, TimeSpan.FromSeconds(1));
        long expiration = long.Parse(seal.Split('*')[5]);

        Assert.InRange(expiration - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), -5_000, 1_000);
    }

    [Fact]
    public void Oversized_digest_and_iv_fields_are_rejected_without_decrypting()
    {
        string seal = IronSeal.Seal("{}", Password, TimeSpan.Zero);
        string[] parts = seal[..^2].Split('*');
        parts[7] = new string('A', 5000);

        var ex = Assert.Throws<SessionEncryptionException>(() => IronSeal.Unseal(string.Join('*', parts), Password));
        Assert.Equal(SessionEncryptionFailureReason.HmacMismatch, ex.Reason);
    }

    [Fact]
    public void Long_passwords_are_supported()
    {
        string password = new('p', 5000);

        Assert.Equal("{}", IronSeal.Unseal(IronSeal.Seal("{}", password, TimeSpan.Zero), password));
    }

    [Fact]
    public void Deterministic_seals_match_for_equal_inputs()
    {
        byte[] pool = Convert.FromHexString(new string('7', 160));
        string a = IronSeal.Seal("{}", Password, TimeSpan.Zero, Clock.At(5), new FixedRandom(pool).Fill);
        string b = IronSeal.Seal("{}", Password, TimeSpan.Zero, Clock.At(5), new FixedRandom(pool).Fill);

        Assert.Equal(a, b);
    }
}
