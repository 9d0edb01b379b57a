namespace AuthKit.Session;

/// <summary>Turns return paths from untrusted sources (OAuth state, query strings) into safe same-origin paths.</summary>
public static class ReturnPath
{
    /// <summary>Longest return path kept: 2048 characters.</summary>
    public const int MaxLength = 2048;

    /// <summary>
    /// Returns <paramref name="candidate"/> when it is a same-origin path: it starts with exactly one <c>/</c>, the next
    /// character is not <c>/</c> or <c>\</c> (also after percent-decoding), it holds no backslash before the query, no
    /// control characters (raw or percent-encoded) and is at most <see cref="MaxLength"/> characters. Path, query and fragment
    /// are kept unchanged. Otherwise returns <paramref name="fallback"/> if that passes the same test, else <c>/</c>.
    /// </summary>
    /// <param name="candidate">The path to check, for example <c>/dashboard?tab=billing#top</c>.</param>
    /// <param name="fallback">Used when the candidate is unsafe or empty. Default <c>/</c>.</param>
    public static string Sanitize(string? candidate, string fallback = "/")
    {
        if (IsSafe(candidate)) return candidate!;
        return IsSafe(fallback) ? fallback : "/";
    }

    /// <summary>Whether <paramref name="path"/> is a safe same-origin path (see <see cref="Sanitize"/>).</summary>
    public static bool IsSafe(string? path)
    {
        if (string.IsNullOrEmpty(path) || path.Length > MaxLength) return false;
        if (!HasSafeStart(path) || ContainsControl(path)) return false;

        int queryOrFragment = path.AsSpan().IndexOfAny('?', '#');
        ReadOnlySpan<char> pathPart = queryOrFragment < 0 ? path : path.AsSpan(0, queryOrFragment);
        if (pathPart.Contains('\\')) return false;

        if (path.Contains('%'))
        {
            // Some servers and frameworks decode before redirecting again: the decoded form must be safe too.
            string decoded;
            try
            {
                decoded = Uri.UnescapeDataString(path);
            }
            catch (UriFormatException)
            {
                return false;
            }
            if (!HasSafeStart(decoded) || ContainsControl(decoded)) return false;
            int q = decoded.AsSpan().IndexOfAny('?', '#');
            ReadOnlySpan<char> decodedPath = q < 0 ? decoded : decoded.AsSpan(0, q);
            if (decodedPath.Contains('\\')) return false;
        }
        return true;
    }

    private static bool HasSafeStart(string path) =>
        path.Length > 0 && path[0] == '/' && (path.Length == 1 || (path[1] != '/' && path[1] != '\\'));

    private static bool ContainsControl(string path)
    {
        foreach (char c in path)
        {
            // C0, DEL, C1, and the line/paragraph separators some parsers treat as line breaks.
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029') return true;
        }
        return false;
    }
}
