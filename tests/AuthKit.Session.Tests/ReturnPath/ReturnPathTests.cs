namespace AuthKit.Session.Tests.ReturnPaths;

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
    public void Hostile_return_paths_fall_back_to_the_root(string? hostile)
    {
        Assert.Equal("/", ReturnPath.Sanitize(hostile));
    }

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public void Hostile_return_paths_use_a_safe_fallback(string? hostile)
    {
        Assert.Equal("/home", ReturnPath.Sanitize(hostile, "/home"));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/dashboard")]
    [InlineData("/dashboard?tab=billing&x=%2F%2F")]
    [InlineData("/orders/42#summary")]
    [InlineData("/search?q=a\\b")]
    [InlineData("/café/日本")]
    [InlineData("/a//b")]
    [InlineData("/a%20b")]
    [InlineData("/..")]
    public void Ordinary_paths_are_kept_with_query_and_fragment(string path)
    {
        Assert.Equal(path, ReturnPath.Sanitize(path));
    }

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("https://evil.example")]
    [InlineData("")]
    public void A_hostile_fallback_is_replaced_by_the_root(string fallback)
    {
        Assert.Equal("/", ReturnPath.Sanitize("//evil.example/x", fallback));
    }
}
