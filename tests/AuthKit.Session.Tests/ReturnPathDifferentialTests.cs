using System.Text;
using AuthKit.Session.Tests.TestSupport;
using CsCheck;

namespace AuthKit.Session.Tests;

/// <summary>
/// <see cref="ReturnPath.Sanitize"/> against the npm package's own <c>sanitizeReturnPathname</c> (tests/interop/sanitize.mjs):
/// the results are equal, or ours is one of the documented stricter outcomes (docs/session-core.md, "Return paths").
/// </summary>
public sealed class ReturnPathDifferentialTests
{
    /// <summary>URL-shaped pieces, so random concatenations reach schemes, authorities, dot segments and encodings.</summary>
    private static readonly string[] Tokens =
    [
        "/", "/", "/", "\\", ".", "..", "%2e", "%2E", "%2F", "%2f", "%5C", "%", "%25", "%41", "%zz", "%C3%A9", "%00", "%0d%0a",
        "?", "#", ":", "@", "[", "]", "[::1]", ":8080", ":99999", "http:", "https:", "HTTPS:", "javascript:", "file:", "foo:",
        "ws:", "data:", "//", "evil.example", "a", "b", "x", "C:", "c|", "localhost", "127.0.0.1", "0x7f", "1.2.3.4", "256",
        "xn--", "xn--nxasmq6b", "é", "日本", "😀", "\ud800", "\udc00", "\t", "\n", "\r", " ", "'", "\"", "<", ">", "`", "{",
        "}", "^", "|", "~", "+", "-", "&", "=", ";", ",", "\u0000", "\u007f", "\u0085", "\u2028", "\u00a0", "\ufeff", "。",
    ];

    private static readonly Gen<string> TokenString =
        Gen.OneOf(Tokens).Array[0, 12].Select(parts => string.Concat(parts));

    private static readonly Gen<string> Candidate = Gen.Frequency(
        (6, TokenString),
        (2, Gen.String[0, 24]),
        (1, Gen.Char['!', '~'].Array[0, 24].Select(chars => new string(chars))));

    private static readonly Gen<string?> Fallback = Gen.OneOf<string?>(null, "/home", "//evil.example/x", "https://evil.example/p?q#h", "/é");

    [Fact]
    public void Random_candidates_sanitize_as_the_npm_package_does_or_more_strictly()
    {
        Gen.Select(Candidate, Fallback).Array[2_500].Sample(batch =>
        {
            var cases = batch.Select(b => (Input: b.Item1, Fallback: (string?)b.Item2)).ToArray();
            var npm = NodeOracle.SanitizeReturnPathnames(cases);
            var problems = new StringBuilder();
            var idnaDifferences = 0;
            for (var k = 0; k < cases.Length; k++)
            {
                var (input, fallback) = cases[k];
                var ours = fallback is null ? ReturnPath.Sanitize(input) : ReturnPath.Sanitize(input, fallback);
                if (ours == npm[k])
                {
                    continue;
                }

                if (IsDocumentedIdnaDifference(input, fallback, ours, npm[k]))
                {
                    idnaDifferences++;
                }
                else if (!IsDocumentedStricterOutcome(input, fallback, ours, npm[k]))
                {
                    problems.Append(FormattableString.Invariant($"{Show(input)} (fallback {Show(fallback)}): ours {Show(ours)}, npm {Show(npm[k])}\n"));
                }
            }

            Assert.True(problems.Length == 0, "Differences from sanitizeReturnPathname:\n" + problems);
            Assert.True(idnaDifferences <= cases.Length / 100, $"{idnaDifferences} IDNA differences in {cases.Length} candidates (more than the documented rare cases)");
        }, iter: 8, threads: 1);
    }

    [Theory]
    [InlineData("/é", "/%C3%A9")]
    [InlineData("/café/日本?q=é#é", "/caf%C3%A9/%E6%97%A5%E6%9C%AC?q=%C3%A9#%C3%A9")]
    [InlineData("https://evil.example/path?x=1", "/path?x=1")]
    [InlineData("//evil.example/x", "/x")]
    [InlineData("javascript:alert(1)", "/alert(1)")]
    [InlineData("/a/./b/../c", "/a/c")]
    [InlineData("/a b?c d#e f", "/a%20b?c%20d#e%20f")]
    [InlineData("?next=/admin", "/?next=/admin")]
    public void Known_inputs_match_the_npm_package_exactly(string input, string expected)
    {
        var npm = NodeOracle.SanitizeReturnPathnames([(input, null)]);

        Assert.Equal(expected, npm[0]);
        Assert.Equal(expected, ReturnPath.Sanitize(input));
    }

    [Fact]
    public void A_lone_surrogate_becomes_the_replacement_character_as_in_javascript()
    {
        var input = "/a" + '\ud800' + "b";
        var npm = NodeOracle.SanitizeReturnPathnames([(input, null)]);

        Assert.Equal("/a%EF%BF%BDb", npm[0]);
        Assert.Equal("/a%EF%BF%BDb", ReturnPath.Sanitize(input));
    }

    [Fact]
    public void Lone_surrogates_separated_by_a_tab_or_newline_stay_two_replacement_characters_as_in_javascript()
    {
        var input = "/xn--" + '\ud800' + "\r" + '\udc00' + "?" + '\ud83d' + "\t" + '\ude00';
        var npm = NodeOracle.SanitizeReturnPathnames([(input, null)]);

        Assert.Equal("/xn--%EF%BF%BD%EF%BF%BD?%EF%BF%BD%EF%BF%BD", npm[0]);
        Assert.Equal(npm[0], ReturnPath.Sanitize(input));
    }

    [Theory]
    [InlineData("javascript:\\\\evil.example")] // npm: "/\\evil.example", which a browser reads as //evil.example
    [InlineData("foo:/\\evil.example")]          // npm: "/\evil.example"
    [InlineData("/%2F%2Fevil.example")]          // npm keeps it; decoded it is //evil.example
    [InlineData("/%5Cevil.example")]
    public void Outcomes_the_npm_package_allows_but_a_browser_or_decoding_server_could_follow_off_site_use_the_fallback(string input)
    {
        var npm = NodeOracle.SanitizeReturnPathnames([(input, "/home")]);

        Assert.NotEqual("/home", npm[0]);
        Assert.Equal("/home", ReturnPath.Sanitize(input, "/home"));
    }

    /// <summary>
    /// The documented differences: ours fell back (to the sanitized fallback, or <c>/</c>) where the npm package returns a
    /// path whose second character is <c>\</c>, which percent-decodes to a <c>//</c> or <c>/\</c> start, or which (or whose
    /// input) is longer than <see cref="ReturnPath.MaxLength"/>.
    /// </summary>
    private static bool IsDocumentedStricterOutcome(string input, string? fallback, string ours, string npm)
    {
        var fellBack = fallback is null ? "/" : ReturnPath.Sanitize(fallback, "/");
        if (ours != fellBack)
        {
            return false;
        }

        return input.Length > ReturnPath.MaxLength || npm.Length > ReturnPath.MaxLength || (npm.Length > 1 && npm[1] == '\\') ||
               (Uri.UnescapeDataString(npm) is { Length: > 1 } decoded && decoded[1] is '/' or '\\');
    }

    /// <summary>
    /// The documented IDNA difference: the candidate has an internationalized host (non-ASCII, percent-encoded or
    /// <c>xn--</c>), where IdnMapping and the URL Standard's UTS #46 may disagree on validity, and exactly one side used
    /// the fallback. Both outcomes are same-origin paths.
    /// </summary>
    private static bool IsDocumentedIdnaDifference(string input, string? fallback, string ours, string npm)
    {
        _ = AuthKit.Session.Internal.WhatwgUrlPath.TryParse(input, out _, out _, out _, out var international);
        var fellBack = fallback is null ? "/" : ReturnPath.Sanitize(fallback, "/");
        return international && (ours == fellBack || npm == fellBack);
    }

    private static string Show(string? value)
    {
        if (value is null) return "null";
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            if (c is >= ' ' and <= '~' and not '"' and not '\\') builder.Append(c);
            else builder.Append(FormattableString.Invariant($"\\u{(int)c:x4}"));
        }

        return builder.Append('"').ToString();
    }
}
