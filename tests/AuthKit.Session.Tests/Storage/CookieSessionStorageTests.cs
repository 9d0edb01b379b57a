using AuthKit.Session.Json;
using AuthKit.Session.Tests.TestSupport;

namespace AuthKit.Session.Tests.Storage;

public sealed class CookieSessionStorageTests
{
    public static TheoryData<string> StorageVectorNames => InteropVectors.Names("serializeCookie", v => v.Str("via")!.StartsWith("CookieSessionStorage", StringComparison.Ordinal));
    public static TheoryData<string> DirectVectorNames => InteropVectors.Names("serializeCookie", v => v.Str("via")!.StartsWith("serializeCookie", StringComparison.Ordinal));

    private static AuthKitOptions OptionsFrom(JsNode config)
    {
        var options = new AuthKitOptions { RedirectUri = config.Str("redirectUri") };
        if (config.Str("cookieName") is { } name) options.CookieName = name;
        if (config.Str("cookieSameSite") is { } sameSite) options.CookieSameSite = sameSite;
        if (config.Str("cookieDomain") is { } domain) options.CookieDomain = domain;
        if (config.Get("cookieMaxAge") is { } maxAge) options.CookieMaxAge = TimeSpan.FromSeconds(maxAge.Number);
        return options;
    }

    [Theory]
    [MemberData(nameof(StorageVectorNames))]
    public async Task Session_cookies_serialize_exactly_like_the_npm_package(string name)
    {
        JsNode vector = InteropVectors.Named("serializeCookie", name);
        var storage = new TestCookieStorage(OptionsFrom(vector.Get("constructorConfig")!));
        bool expired = vector.Get("flags")?.Get("expired")?.Kind == JsNodeKind.True;

        SessionStorageResult<TestResponse> result = expired
            ? await storage.ClearSessionAsync(null)
            : await storage.SaveSessionAsync(null, vector.Str("value")!);

        Assert.Equal(vector.Str("cookieName"), storage.CookieName);
        Assert.Equal(vector.Str("expected"), result.SingleSetCookie());
    }

    [Theory]
    [MemberData(nameof(DirectVectorNames))]
    public void Set_cookie_serialization_matches_the_npm_package(string name)
    {
        JsNode vector = InteropVectors.Named("serializeCookie", name);
        JsNode o = vector.Get("options")!;
        var options = new AuthKitCookieOptions
        {
            Path = o.Str("path"),
            Domain = o.Str("domain"),
            MaxAge = o.Get("maxAge") is { } maxAge ? TimeSpan.FromSeconds(maxAge.Number) : null,
            HttpOnly = o.Get("httpOnly")?.Kind == JsNodeKind.True,
            Secure = o.Get("secure")?.Kind == JsNodeKind.True,
            SameSite = o.Str("sameSite"),
            Priority = o.Str("priority"),
            Partitioned = o.Get("partitioned")?.Kind == JsNodeKind.True,
        };
        bool expired = vector.Get("flags")?.Get("expired")?.Kind == JsNodeKind.True;

        Assert.Equal(vector.Str("expected"), SetCookieSerializer.Serialize(vector.Str("cookieName")!, vector.Str("value")!, options, expired));
    }

    [Fact]
    public void Defaults_are_wos_session_path_root_http_only_lax_400_days_and_secure_for_https()
    {
        var storage = new TestCookieStorage(new AuthKitOptions { RedirectUri = "https://app.example.com/callback" });

        Assert.Equal("wos-session", storage.CookieName);
        Assert.Equal(new AuthKitCookieOptions { Path = "/", HttpOnly = true, SameSite = "lax", Secure = true, MaxAge = TimeSpan.FromDays(400) }, storage.SessionCookieOptions);
    }

    [Fact]
    public async Task The_session_cookie_is_read_by_its_configured_name()
    {
        var storage = new TestCookieStorage(new AuthKitOptions { CookieName = "my-session" });
        var request = new Dictionary<string, string> { ["my-session"] = "sealed", ["wos-session"] = "other" };

        Assert.Equal("sealed", await storage.GetSessionAsync(request));
        Assert.Null(await storage.GetCookieAsync(request, "absent"));
    }

    [Fact]
    public async Task A_host_that_can_write_its_response_gets_the_cookie_there_and_no_headers_back()
    {
        var storage = new TestCookieStorage(new AuthKitOptions { RedirectUri = "https://app.example.com/callback" }, writesToResponse: true);
        var response = new TestResponse();

        SessionStorageResult<TestResponse> saved = await storage.SaveSessionAsync(response, "seal");
        SessionStorageResult<TestResponse> cleared = await storage.ClearCookieAsync(response, "wos-auth-verifier-1", PkceCookies.GetVerifierCookieOptions(new AuthKitOptions()));

        Assert.Same(response, saved.Response);
        Assert.Null(saved.Headers);
        Assert.Null(cleared.Headers);
        Assert.Equal(
            ["wos-session=seal; Path=/; Max-Age=34560000; HttpOnly; Secure; SameSite=Lax", "wos-auth-verifier-1=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax"],
            response.SetCookies);
    }

    [Fact]
    public async Task Several_set_cookie_values_stay_separate_when_merged()
    {
        var storage = new TestCookieStorage(new AuthKitOptions { RedirectUri = "http://localhost/cb" });

        SessionStorageResult<TestResponse> a = await storage.SaveSessionAsync(null, "x");
        SessionStorageResult<TestResponse> b = await storage.SetCookieAsync(null, "wos-auth-verifier-2", "y", PkceCookies.GetVerifierCookieOptions(new AuthKitOptions()));
        var merged = CookieSessionStorage<object, object>.MergeHeaders(a.Headers, b.Headers, null);

        Assert.Equal(2, merged.SetCookies().Count);
        Assert.StartsWith("wos-session=x;", merged.SetCookies()[0]);
        Assert.StartsWith("wos-auth-verifier-2=y;", merged.SetCookies()[1]);
    }

    [Theory]
    [InlineData("a b", "a%20b")]
    [InlineData("A-Z_a.z!~*'()09", "A-Z_a.z!~*'()09")]
    [InlineData("é😀", "%C3%A9%F0%9F%98%80")]
    [InlineData(";,=\"\\", "%3B%2C%3D%22%5C")]
    public void Values_are_encoded_like_encode_uri_component(string value, string encoded)
    {
        Assert.Equal("n=" + encoded, SetCookieSerializer.Serialize("n", value, new AuthKitCookieOptions { Path = null, HttpOnly = false }));
    }

    [Fact]
    public void A_value_with_an_unpaired_surrogate_is_rejected_like_javascript_does()
    {
        Assert.Throws<ArgumentException>(() => SetCookieSerializer.Serialize("n", "a\ud800", new AuthKitCookieOptions()));
    }
}
