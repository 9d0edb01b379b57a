namespace AuthKit.Session.Tests;

public sealed class ReturnPathTests
{
    public static TheoryData<string?> HostileInputs => new()
    {
        null,
        "",
        "https://evil.example",
        "http://evil.example/path",
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "\\/evil.example",
        "/\t/evil.example",
        "\t//evil.example",
        " //evil.example",
        " /dashboard",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "evil.example",
        "@evil.example",
        "http:/evil.example",
        "http:evil.example",
        "https:\\\\evil.example",
        "/%2F%2Fevil.example",
        "/%2f/evil.example",
        "/%5Cevil.example",
        "/%5cevil.example",
        "/path\r\nSet-Cookie: stolen=1",
        "/%0d%0aSet-Cookie:%20stolen=1",
        "/\u0000admin",
        "/%00admin",
        "/admin\u007f",
        "/admin\u0085",
        "/a\u2028b",
        "/a\\b",
        "/" + new string('a', 2048),
        "/%09/evil.example",
        "?next=/admin",
        "#/admin",
    };

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public void Hostile_return_paths_stay_on_this_origin_as_printable_ascii(string? hostile)
    {
        var result = ReturnPath.Sanitize(hostile);

        Assert.StartsWith("/", result);
        Assert.False(result.Length > 1 && result[1] is '/' or '\\', result);
        Assert.All(result, c => Assert.InRange(c, ' ', '~'));
        Assert.False(Uri.UnescapeDataString(result) is { Length: > 1 } decoded && decoded[1] is '/' or '\\', result);
    }

    [Theory]
    [InlineData("https://evil.example", "/")]
    [InlineData("http://evil.example/path", "/path")]
    [InlineData("//evil.example", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("\t//evil.example", "/")]
    [InlineData("javascript:alert(1)", "/alert(1)")]
    [InlineData("evil.example", "/evil.example")]
    [InlineData("/path\r\nSet-Cookie: stolen=1", "/pathSet-Cookie:%20stolen=1")]
    [InlineData("/%0d%0aSet-Cookie:%20stolen=1", "/%0d%0aSet-Cookie:%20stolen=1")]
    [InlineData("/\u0000admin", "/%00admin")]
    [InlineData("/admin\u0085", "/admin%C2%85")]
    [InlineData("?next=/admin", "/?next=/admin")]
    [InlineData("#/admin", "/#/admin")]
    public void Hostile_return_paths_keep_only_their_path_query_and_fragment_as_the_npm_package_does(string hostile, string expected)
    {
        Assert.Equal(expected, ReturnPath.Sanitize(hostile, "/home"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("//user@/x")]        // credentials without a host: the URL parser fails
    [InlineData("//exa mple/x")]     // a space in the host
    [InlineData("http://[::1/x")]    // an unclosed IPv6 host
    [InlineData("//1.2.3.999/x")]    // an IPv4 host out of range
    [InlineData("//xn--a/x")]        // invalid punycode
    [InlineData("/%2F%2Fevil.example")]
    [InlineData("/%2f/evil.example")]
    [InlineData("/%5Cevil.example")]
    [InlineData("javascript:\\\\evil.example")]
    public void Unparseable_or_off_site_candidates_use_the_fallback(string? candidate)
    {
        Assert.Equal("/home", ReturnPath.Sanitize(candidate, "/home"));
        Assert.Equal("/", ReturnPath.Sanitize(candidate));
    }

    [Fact]
    public void Candidates_and_results_longer_than_the_limit_use_the_fallback()
    {
        Assert.Equal("/home", ReturnPath.Sanitize("/" + new string('a', ReturnPath.MaxLength), "/home"));
        Assert.Equal("/home", ReturnPath.Sanitize("/" + new string('é', 1000), "/home")); // 1001 characters, 6001 once encoded
        Assert.Equal("/" + new string('a', ReturnPath.MaxLength - 1), ReturnPath.Sanitize("/" + new string('a', ReturnPath.MaxLength - 1)));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/dashboard")]
    [InlineData("/dashboard?tab=billing&x=%2F%2F")]
    [InlineData("/orders/42#summary")]
    [InlineData("/search?q=a\\b")]
    [InlineData("/a//b")]
    [InlineData("/a%20b")]
    [InlineData("/caf%C3%A9")]
    public void Ordinary_paths_are_kept_with_query_and_fragment(string path)
    {
        Assert.Equal(path, ReturnPath.Sanitize(path));
        Assert.True(ReturnPath.IsSafe(path));
    }

    [Theory]
    [InlineData("/café/日本", "/caf%C3%A9/%E6%97%A5%E6%9C%AC")]
    [InlineData("/é?q=é#é", "/%C3%A9?q=%C3%A9#%C3%A9")]
    [InlineData("/😀", "/%F0%9F%98%80")]
    [InlineData("/..", "/")]
    [InlineData("/a/./b/%2e%2E/c", "/a/c")]
    public void Non_ascii_is_percent_encoded_and_dot_segments_are_resolved(string path, string expected)
    {
        Assert.Equal(expected, ReturnPath.Sanitize(path));
        Assert.False(ReturnPath.IsSafe(path));
    }

    [Theory]
    [InlineData("//evil.example", "/")]
    [InlineData("https://evil.example/x", "/x")]
    [InlineData("", "/")]
    public void A_fallback_is_sanitized_the_same_way(string fallback, string expected)
    {
        Assert.Equal(expected, ReturnPath.Sanitize("//user@/unparseable", fallback));
    }
}
