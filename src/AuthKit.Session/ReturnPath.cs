using AuthKit.Session.Internal;

namespace AuthKit.Session;

/// <summary>Turns return paths from untrusted sources (OAuth state, query strings, forms) into safe same-origin paths.</summary>
public static class ReturnPath
{
    /// <summary>Longest return path accepted or produced: 2048 characters.</summary>
    public const int MaxLength = 2048;

    /// <summary>
    /// The npm package's <c>sanitizeReturnPathname</c>: <paramref name="candidate"/> is parsed as a URL against a
    /// placeholder origin (the WHATWG URL parser), so any scheme and host are dropped and the result is its path, query and
    /// fragment, percent-encoded where a URL needs it (<c>/é</c> becomes <c>/%C3%A9</c>; <c>https://evil.example/p?x=1</c>
    /// becomes <c>/p?x=1</c>), starting with exactly one <c>/</c>. The result is always printable ASCII, safe to write
    /// as a <c>Location</c> header. Stricter than the npm package (a candidate is then treated as unparseable): a result whose
    /// second character is <c>\</c> (browsers read <c>/\</c> as <c>//</c>), a result that starts with <c>//</c> or
    /// <c>/\</c> once percent-decoded, and a candidate or result longer than <see cref="MaxLength"/>. An unparseable
    /// candidate falls back to <paramref name="fallback"/>, sanitized the same way, and then to <c>/</c>.
    /// </summary>
    /// <param name="candidate">The path to check, for example <c>/dashboard?tab=billing#top</c>.</param>
    /// <param name="fallback">Used when the candidate is empty or unparseable. Default <c>/</c>.</param>
    public static string Sanitize(string? candidate, string fallback = "/")
    {
        if (TryNormalize(candidate, out var path)) return path;
        return TryNormalize(fallback, out path) ? path : "/";
    }

    /// <summary>Whether <paramref name="path"/> is already a safe same-origin path: <see cref="Sanitize"/> returns it unchanged.</summary>
    public static bool IsSafe(string? path) => TryNormalize(path, out var normalized) && string.Equals(normalized, path, StringComparison.Ordinal);

    private static bool TryNormalize(string? candidate, out string path)
    {
        path = "/";
        if (string.IsNullOrEmpty(candidate) || candidate.Length > MaxLength)
        {
            return false;
        }

        if (!WhatwgUrlPath.TryParse(candidate, out var pathname, out var search, out var hash))
        {
            return false;
        }

        var result = "/" + pathname.TrimStart('/') + search + hash;
        if (result.Length > MaxLength || (result.Length > 1 && result[1] == '\\') || DecodesToNetworkPath(result))
        {
            return false;
        }

        path = result;
        return true;
    }

    /// <summary>Some servers and frameworks decode a path before redirecting again: <c>/%2F%2Fevil.example</c> must not become <c>//evil.example</c>.</summary>
    private static bool DecodesToNetworkPath(string path)
    {
        if (!path.Contains('%'))
        {
            return false;
        }

        var decoded = Uri.UnescapeDataString(path);
        return decoded.Length > 1 && decoded[0] == '/' && decoded[1] is '/' or '\\';
    }
}
