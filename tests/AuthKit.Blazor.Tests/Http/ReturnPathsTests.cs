namespace AuthKit.Blazor.Tests.Http;

public sealed class ReturnPathsTests
{
    [Theory]
    [InlineData("/account", "/account")]
    [InlineData("/account?tab=2#x", "/account?tab=2#x")]
    [InlineData("https://evil.example/steal", "/steal")]
    [InlineData("//evil.example/steal", "/steal")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("\\\\evil.example\\x", "/x")]
    [InlineData("/\t/evil.example/x", "/x")]
    [InlineData("javascript:alert(1)", "/alert(1)")]
    [InlineData("", "/")]
    [InlineData(null, "/")]
    [InlineData("////evil.example", "/")]
    public void Hostile_return_paths_become_local_paths(string? input, string expected)
    {
        var result = ReturnPaths.Sanitize(input);

        Assert.Equal(expected, result);
        Assert.StartsWith("/", result);
        Assert.False(result.StartsWith("//", StringComparison.Ordinal));
    }
}
