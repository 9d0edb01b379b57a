namespace AuthKit.Blazor;

/// <summary>
/// Normalizes untrusted return paths to a same-origin relative URL (always starting with exactly one <c>/</c>), like the
/// npm package's <c>sanitizeReturnPathname</c>: hosts, schemes, backslashes, tabs and newlines are stripped.
/// </summary>
internal static class ReturnPaths
{
    private static readonly Uri Placeholder = new("https://placeholder.invalid/");

    public static string Sanitize(string? candidate, string fallback = "/")
    {
        foreach (var value in new[] { candidate, fallback })
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            // WHATWG URL parsing strips ASCII tab and newline and treats '\' as '/' for special schemes.
            var cleaned = value.Replace("\t", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal)
                .Replace("\r", "", StringComparison.Ordinal).Replace('\\', '/').Trim('\u0000', ' ', '\f');
            if (!Uri.TryCreate(Placeholder, cleaned, out var parsed))
            {
                continue;
            }

            var path = "/" + parsed.AbsolutePath.TrimStart('/');
            return path + parsed.Query + parsed.Fragment;
        }

        return "/";
    }
}
