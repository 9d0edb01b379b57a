using System.Text;
using AuthKit.Fuzz;
using AuthKit.Session.Tests.TestSupport;
using CsCheck;
using Xunit.Abstractions;

namespace AuthKit.Session.Tests;

/// <summary>
/// Safety invariants of <see cref="ReturnPath.Sanitize"/> only (what it returns for a given safe input may change): it never
/// throws, the result is a same-origin path of at most 2048 characters, and the fallback rules hold.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class ReturnPathFuzzTests(ITestOutputHelper output)
{
    private static readonly string[] Prefixes =
    [
        "", "/", "/", "/", "//", "///", "\\", "\\\\", "/\\", "\\/", "https://evil.example", "http://evil.example/", "https:", "javascript:",
        " ", "\t", " /", "/%2F", "/%2f", "/%5C", "%2F", "/\t/", "/\r\n/", "@", "?", "#", "/.", "/..", "/./", "/../", "HTTPS://EVIL.EXAMPLE",
    ];

    private static readonly Gen<string> Segment = Gen.Frequency(
        (6, Gen.String[Gen.Char["abcXYZ019-._~!$&'()*+,;=:@"], 1, 12]),
        (2, Gen.OneOf("/", "//", "\\", "?", "#", "?x=1&y=%2F", "#frag", "%", "%2", "%G1", "%00", "%0A", "%0d%0a", "%2F%2F", "%5c", "%C3%A9", "%ED%A0%80", "%FF", "%25", "%252F")),
        (2, Gen.OneOf(SealGen.Awkward)),
        (1, Gen.OneOf(SealGen.Whitespace)),
        (1, Gen.Char['\u0080', '\u009F'].Select(c => c.ToString())),
        (1, SealGen.UnicodeText));

    /// <summary>URL-ish candidates: a prefix from the list of known tricks followed by path, query and fragment pieces.</summary>
    internal static readonly Gen<string> Candidates = Gen.Frequency(
        (6, Gen.Select(Gen.OneOf(Prefixes), Segment.Array[0, 12], (prefix, parts) => prefix + string.Concat(parts))),
        (2, SealGen.AnyText),
        (1, Gen.Select(Gen.Int[1_900, 5_000], Gen.OneOf("a", "é", "%2F", "/", "\\"), (n, fill) => "/" + new StringBuilder().Insert(0, fill, n / fill.Length).ToString())));

    private static readonly string[] SafeFallbacks = ["/", "/home", "/signed-out", "/a/b?c=d"];

    /// <summary>Fallbacks no implementation may return: empty or protocol-relative.</summary>
    private static readonly string[] HostileFallbacks = ["", "//evil.example", "/\\evil.example", "\\\\evil.example"];

    /// <summary>Fallbacks whose treatment may differ (kept, encoded or replaced), each result still a same-origin path.</summary>
    private static readonly string[] OtherFallbacks = ["https://evil.example", "/\u0000x", "/" + new string('a', 2048), "/caf\u00E9"];

    [Fact]
    public void ReturnPath_Sanitize_never_throws_and_returns_one_leading_slash_at_most_2048_chars_and_keeps_the_fallback_rules()
    {
        var target = new FuzzTarget("ReturnPath.Sanitize", output, timed: true);
        int n = FuzzSettings.Iterations(5_000);

        target.Run("candidates", Candidates, (candidate, c) =>
        {
            var result = c.Call(() => ReturnPath.Sanitize(candidate), candidate);
            AssertSameOriginPath(result.Value);
        }, n);

        target.Run("candidate-and-fallback", Gen.Select(Gen.Frequency((1, Gen.OneOf<string?>(null, "")), (4, Candidates.Select(s => (string?)s))),
            Gen.OneOf([.. SafeFallbacks, .. HostileFallbacks, .. OtherFallbacks]).Select(Gen.Bool, (f, mutate) => mutate ? f + "\u00E9" : f)), (input, c) =>
        {
            var (candidate, fallback) = input;
            var result = c.Call(() => ReturnPath.Sanitize(candidate, fallback), input).Value;
            AssertSameOriginPath(result);
            if (string.IsNullOrEmpty(candidate) && SafeFallbacks.Contains(fallback))
            {
                Assert.Equal(fallback, result);
            }

            if (HostileFallbacks.Contains(fallback) && string.IsNullOrEmpty(candidate))
            {
                Assert.Equal("/", result);
            }
        }, n);

        target.AssertNoSlowCalls();
    }

    /// <summary>
    /// The result is printable ASCII (0x20-0x7E) only, so it can always be written as a <c>Location</c> header. (A space
    /// can remain where the URL Standard keeps it, in the opaque path of a non-special scheme: <c>javascript:a b</c> is
    /// <c>/a b</c>, as in the npm package; header values may hold spaces.)
    /// </summary>
    [Fact]
    public void ReturnPath_Sanitize_returns_only_printable_ascii_for_non_ascii_input()
    {
        var target = new FuzzTarget("ReturnPath.Sanitize-ascii", output, timed: true);

        target.Run("candidates", Candidates, (candidate, c) =>
        {
            var result = c.Call(() => ReturnPath.Sanitize(candidate), candidate).Value!;
            Assert.True(result.All(ch => ch is >= '\u0020' and <= '\u007E'), $"not printable ASCII: {FuzzText.Quote(result)}");
        }, FuzzSettings.Iterations(5_000));

        target.AssertNoSlowCalls();
    }

    private static void AssertSameOriginPath(string? path)
    {
        Assert.NotNull(path);
        Assert.StartsWith("/", path, StringComparison.Ordinal);
        Assert.True(path.Length == 1 || path[1] is not ('/' or '\\'), $"protocol-relative result {FuzzText.Quote(path)}");
        Assert.InRange(path.Length, 1, ReturnPath.MaxLength);
    }
}
