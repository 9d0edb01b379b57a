using System.Text;

namespace AuthKit.Session;

/// <summary>
/// Names, options and limits of the per-flow PKCE verifier cookies (<c>wos-auth-verifier-&lt;fnv1a32(state)&gt;</c>),
/// as in the npm package.
/// </summary>
public static class PkceCookies
{
    /// <summary>Prefix of every verifier cookie: <c>wos-auth-verifier</c> (alone it is the legacy name).</summary>
    public const string Prefix = "wos-auth-verifier";

    /// <summary>Verifier cookie Max-Age and sealed-state lifetime: 600 s.</summary>
    internal const int MaxAgeSeconds = 600;

    /// <summary>Largest custom state accepted: 2048 UTF-8 bytes.</summary>
    internal const int MaxCustomStateBytes = 2048;

    /// <summary>Largest serialized verifier <c>Set-Cookie</c> value accepted: 3800 UTF-8 bytes.</summary>
    internal const int MaxCookieBytes = 3800;

    /// <summary>Default number of simultaneous verifier cookies tolerated before eviction: 5.</summary>
    public const int DefaultMaxPendingCookies = 5;

    /// <summary>The verifier cookie name for a sealed state: <c>wos-auth-verifier-</c> + FNV-1a 32 of its UTF-8, lowercase hex.</summary>
    public static string GetCookieName(string state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return Prefix + "-" + Fnv1a32Hex(state);
    }

    /// <summary>FNV-1a 32-bit hash of the UTF-8 bytes (unpaired surrogates as U+FFFD), as 8 lowercase hex digits.</summary>
    internal static string Fnv1a32Hex(string input)
    {
        uint hash = 0x811c9dc5;
        int max = Encoding.UTF8.GetMaxByteCount(input.Length);
        byte[]? rented = null;
        Span<byte> bytes = max <= 1024 ? stackalloc byte[1024] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(max));
        int n = Encoding.UTF8.GetBytes(input, bytes);
        foreach (byte b in bytes[..n])
        {
            hash = unchecked((hash ^ b) * 0x01000193);
        }
        if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        return hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>True for <c>wos-auth-verifier</c> and <c>wos-auth-verifier-*</c> (not for look-alikes such as <c>wos-auth-verifierX</c>).</summary>
    public static bool IsVerifierCookieName(string name) =>
        name is not null && (name == Prefix || (name.StartsWith(Prefix, StringComparison.Ordinal) && name.Length > Prefix.Length && name[Prefix.Length] == '-'));

    /// <summary>
    /// Verifier cookies to delete on the response that writes <paramref name="keep"/>: none while the total (including
    /// <paramref name="keep"/>) stays within <paramref name="max"/>, otherwise every other verifier cookie.
    /// </summary>
    /// <param name="names">Names of all cookies on the request.</param>
    /// <param name="keep">The verifier cookie being written now; never returned.</param>
    /// <param name="max">Simultaneous verifier cookies tolerated. Default 5.</param>
    public static IReadOnlyList<string> SelectStaleVerifierCookieNames(IEnumerable<string> names, string keep, int max = DefaultMaxPendingCookies)
    {
        ArgumentNullException.ThrowIfNull(names);
        var others = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in names)
        {
            if (name is null || name == keep || !IsVerifierCookieName(name)) continue;
            if (seen.Add(name)) others.Add(name);
        }
        return others.Count + 1 <= max ? [] : others;
    }

    /// <summary>
    /// Options of the verifier cookie: <c>HttpOnly</c>, <c>Path=/</c>, <c>Max-Age=600</c>, SameSite <c>lax</c> (<c>strict</c> is
    /// downgraded so the cookie survives the redirect back from WorkOS) or <c>none</c> (forces Secure), Secure from the redirect
    /// URI's scheme (fail-closed to Secure when it does not parse), Domain from <see cref="AuthKitOptions.CookieDomain"/>.
    /// </summary>
    /// <param name="options">The AuthKit options.</param>
    /// <param name="redirectUri">A per-request redirect URI; default <see cref="AuthKitOptions.RedirectUri"/>.</param>
    internal static AuthKitCookieOptions GetVerifierCookieOptions(AuthKitOptions options, string? redirectUri = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        string sameSite = string.Equals(options.CookieSameSite ?? "lax", "none", StringComparison.OrdinalIgnoreCase) ? "none" : "lax";
        string? uri = redirectUri ?? options.RedirectUri;
        bool secure = true;
        if (!string.IsNullOrEmpty(uri) && sameSite != "none") secure = RedirectUriScheme.IsSecureOrUnparsable(uri);
        return new AuthKitCookieOptions
        {
            Path = "/",
            HttpOnly = true,
            Secure = secure,
            SameSite = sameSite,
            MaxAge = TimeSpan.FromSeconds(MaxAgeSeconds),
            Domain = string.IsNullOrEmpty(options.CookieDomain) ? null : options.CookieDomain,
        };
    }

    /// <summary>
    /// Options for deleting a verifier cookie when the flow's redirect URI is not known (the state could not be read):
    /// as <see cref="GetVerifierCookieOptions"/>, but without <c>Secure</c> in the <c>lax</c> case, so the delete is also
    /// accepted on an http callback (browsers replace cookies by name, domain and path).
    /// </summary>
    /// <param name="options">The AuthKit options.</param>
    internal static AuthKitCookieOptions GetVerifierDeletionOptions(AuthKitOptions options)
    {
        var cookie = GetVerifierCookieOptions(options);
        return cookie.SameSite == "lax" ? cookie with { Secure = false } : cookie;
    }

    /// <summary>Throws <see cref="PkcePayloadTooLargeException"/> when the custom state exceeds 2048 UTF-8 bytes.</summary>
    internal static void EnsureCustomStateSize(string? customState)
    {
        if (customState is null) return;
        int bytes = Encoding.UTF8.GetByteCount(customState);
        if (bytes > MaxCustomStateBytes)
        {
            throw new PkcePayloadTooLargeException(
                $"Custom OAuth state is {bytes} bytes, exceeds supported limit of {MaxCustomStateBytes} bytes. " +
                "The sealed state is stored as the wos-auth-verifier cookie; oversized values would be silently dropped by the browser.",
                bytes, MaxCustomStateBytes);
        }
    }

    /// <summary>
    /// Serializes the verifier <c>Set-Cookie</c> value and throws <see cref="PkcePayloadTooLargeException"/> when it exceeds
    /// 3800 UTF-8 bytes.
    /// </summary>
    internal static string SerializeVerifierCookie(string cookieName, string sealedState, AuthKitCookieOptions cookieOptions)
    {
        string serialized = SetCookieSerializer.Serialize(cookieName, sealedState, cookieOptions);
        int bytes = Encoding.UTF8.GetByteCount(serialized);
        if (bytes > MaxCookieBytes)
        {
            throw new PkcePayloadTooLargeException(
                $"Sealed PKCE verifier cookie is {bytes} bytes, exceeds supported limit of {MaxCookieBytes} bytes. " +
                "Reduce the size of the custom state, the return path, or the redirect URI.",
                bytes, MaxCookieBytes);
        }
        return serialized;
    }
}
