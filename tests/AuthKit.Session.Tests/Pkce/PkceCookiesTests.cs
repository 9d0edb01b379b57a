using AuthKit.Session.Json;
using AuthKit.Session.Tests.TestSupport;

namespace AuthKit.Session.Tests.PkceFlow;

public sealed class PkceCookiesTests
{
    public static TheoryData<string> Fnv1aNames => InteropVectors.Names("fnv1a");

    [Theory]
    [MemberData(nameof(Fnv1aNames))]
    public void Cookie_names_match_the_npm_package(string name)
    {
        JsNode vector = InteropVectors.Named("fnv1a", name);

        Assert.Equal(vector.Str("expectedCookieName"), PkceCookies.GetCookieName(vector.Str("input")!));
    }

    [Theory]
    [InlineData("wos-auth-verifier", true)]
    [InlineData("wos-auth-verifier-1a2b3c4d", true)]
    [InlineData("wos-auth-verifier-", true)]
    [InlineData("wos-auth-verifierX", false)]
    [InlineData("wos-auth-verifie", false)]
    [InlineData("wos-session", false)]
    [InlineData("", false)]
    public void Verifier_cookie_names_need_the_hyphen_boundary(string name, bool expected)
    {
        Assert.Equal(expected, PkceCookies.IsVerifierCookieName(name));
    }

    [Fact]
    public void Nothing_is_evicted_while_the_new_cookie_keeps_the_total_within_the_limit()
    {
        string[] names = ["wos-session", "wos-auth-verifier-1", "wos-auth-verifier-2", "wos-auth-verifier-3", "wos-auth-verifier-4", "other"];

        Assert.Empty(PkceCookies.SelectStaleVerifierCookieNames(names, keep: "wos-auth-verifier-new"));
    }

    [Fact]
    public void Every_other_verifier_is_evicted_once_the_new_cookie_would_exceed_the_limit()
    {
        string[] names = ["wos-auth-verifier-1", "wos-auth-verifier-2", "wos-auth-verifier", "wos-auth-verifier-3", "wos-auth-verifier-4", "wos-auth-verifier-5", "wos-auth-verifierX", "wos-auth-verifier-new", "wos-auth-verifier-1"];

        IReadOnlyList<string> stale = PkceCookies.SelectStaleVerifierCookieNames(names, keep: "wos-auth-verifier-new");

        Assert.Equal(["wos-auth-verifier-1", "wos-auth-verifier-2", "wos-auth-verifier", "wos-auth-verifier-3", "wos-auth-verifier-4", "wos-auth-verifier-5"], stale);
    }

    [Fact]
    public void A_custom_maximum_changes_the_eviction_threshold()
    {
        string[] names = ["wos-auth-verifier-1"];

        Assert.Equal(["wos-auth-verifier-1"], PkceCookies.SelectStaleVerifierCookieNames(names, "wos-auth-verifier-2", max: 1));
        Assert.Empty(PkceCookies.SelectStaleVerifierCookieNames(names, "wos-auth-verifier-2", max: 2));
    }

    [Theory]
    [InlineData("lax", "https://app.example.com/callback", null, "lax", true)]
    [InlineData("strict", "https://app.example.com/callback", null, "lax", true)]
    [InlineData("STRICT", "http://localhost:5000/callback", null, "lax", false)]
    [InlineData("none", "http://localhost:5000/callback", null, "none", true)]
    [InlineData("NONE", "http://localhost:5000/callback", null, "none", true)]
    [InlineData("lax", "not a url", null, "lax", true)]
    [InlineData("lax", "/relative/callback", null, "lax", true)]
    [InlineData("lax", "https://app.example.com/callback", "http://localhost:3000/cb", "lax", false)]
    [InlineData("lax", null, null, "lax", true)]
    public void Verifier_cookie_options_follow_the_package_rules(string sameSite, string? configured, string? perRequest, string expectedSameSite, bool expectedSecure)
    {
        var options = new AuthKitOptions { CookieSameSite = sameSite, RedirectUri = configured, CookieDomain = "example.com" };

        AuthKitCookieOptions cookie = PkceCookies.GetVerifierCookieOptions(options, perRequest);

        Assert.Equal(expectedSameSite, cookie.SameSite);
        Assert.Equal(expectedSecure, cookie.Secure);
        Assert.True(cookie.HttpOnly);
        Assert.Equal("/", cookie.Path);
        Assert.Equal(TimeSpan.FromSeconds(600), cookie.MaxAge);
        Assert.Equal("example.com", cookie.Domain);
    }

    [Theory]
    [InlineData("lax", "https://app.example.com/callback", "lax", false)]
    [InlineData("strict", "https://app.example.com/callback", "lax", false)]
    [InlineData("none", "https://app.example.com/callback", "none", true)]
    public void Deleting_a_verifier_without_its_redirect_uri_drops_secure_only_for_lax(string sameSite, string configured, string expectedSameSite, bool expectedSecure)
    {
        var options = new AuthKitOptions { CookieSameSite = sameSite, RedirectUri = configured, CookieDomain = "example.com" };

        AuthKitCookieOptions cookie = PkceCookies.GetVerifierDeletionOptions(options);

        Assert.Equal(PkceCookies.GetVerifierCookieOptions(options) with { Secure = expectedSecure }, cookie);
        Assert.Equal(expectedSameSite, cookie.SameSite);
        Assert.Equal(expectedSecure, cookie.Secure);
    }

    [Fact]
    public void The_verifier_cookie_serializes_with_max_age_600()
    {
        AuthKitCookieOptions cookie = PkceCookies.GetVerifierCookieOptions(new AuthKitOptions { RedirectUri = "https://app.example.com/cb" });

        Assert.Equal("wos-auth-verifier-1a2b3c4d=v; Path=/; Max-Age=600; HttpOnly; Secure; SameSite=Lax",
            PkceCookies.SerializeVerifierCookie("wos-auth-verifier-1a2b3c4d", "v", cookie));
    }

    [Fact]
    public void Custom_state_of_2048_bytes_is_accepted_and_2049_is_rejected()
    {
        PkceCookies.EnsureCustomStateSize(new string('é', 1024));

        var ex = Assert.Throws<PkcePayloadTooLargeException>(() => PkceCookies.EnsureCustomStateSize(new string('a', 2049)));
        Assert.Equal(2049, ex.ActualBytes);
        Assert.Equal(2048, ex.LimitBytes);
        Assert.Contains("2048", ex.Message);
    }

    [Fact]
    public void A_verifier_cookie_over_3800_bytes_is_rejected()
    {
        AuthKitCookieOptions cookie = PkceCookies.GetVerifierCookieOptions(new AuthKitOptions());

        var ex = Assert.Throws<PkcePayloadTooLargeException>(() => PkceCookies.SerializeVerifierCookie("n", new string('a', 3800), cookie));
        Assert.Equal(3800, ex.LimitBytes);
        Assert.True(ex.ActualBytes > 3800);
    }
}
