namespace AuthKit.Session;

/// <summary>Secure-flag inference from a redirect URI, as the npm package does with <c>new URL(uri).protocol</c>.</summary>
internal static class RedirectUriScheme
{
    /// <summary>True for an <c>https:</c> URI, false for any other absolute URI, true (fail-closed) when it does not parse.</summary>
    public static bool IsSecureOrUnparsable(string? uri)
    {
        if (TryGetScheme(uri, out string? scheme)) return string.Equals(scheme, "https", StringComparison.OrdinalIgnoreCase);
        return true;
    }

    /// <summary>Parses an absolute URL with a scheme and authority-or-path, like the WHATWG parser would accept.</summary>
    public static bool TryGetScheme(string? uri, out string? scheme)
    {
        scheme = null;
        if (string.IsNullOrWhiteSpace(uri)) return false;
        string trimmed = uri.Trim();
        // On Unix, System.Uri reads "/path" as a file URI; a URL needs an explicit scheme.
        int colon = trimmed.IndexOf(':');
        if (colon <= 0 || !char.IsAsciiLetter(trimmed[0])) return false;
        for (int i = 1; i < colon; i++)
        {
            char c = trimmed[i];
            if (!char.IsAsciiLetterOrDigit(c) && c is not '+' and not '-' and not '.') return false;
        }
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out Uri? parsed)) return false;
        scheme = parsed.Scheme;
        return true;
    }
}
