using System.Globalization;
using System.Text;

namespace AuthKit.Session;

/// <summary>
/// Serializes <c>Set-Cookie</c> values exactly like the npm package's <c>serializeCookie</c>: <c>name=encodeURIComponent(value)</c>
/// then <c>Path, Domain, Max-Age, HttpOnly, Secure, SameSite, Priority, Partitioned</c>, each only when set. No <c>Expires</c>.
/// </summary>
internal static class SetCookieSerializer
{
    /// <summary>Builds one <c>Set-Cookie</c> header value.</summary>
    /// <param name="name">Cookie name, written verbatim.</param>
    /// <param name="value">Cookie value, percent-encoded like JavaScript's <c>encodeURIComponent</c>.</param>
    /// <param name="options">Attributes.</param>
    /// <param name="expired">When true, writes <c>Max-Age=0</c> (clearing the cookie) whatever <see cref="AuthKitCookieOptions.MaxAge"/> says.</param>
    /// <exception cref="ArgumentException">The value holds an unpaired surrogate (JavaScript throws <c>URIError</c>).</exception>
    public static string Serialize(string name, string value, AuthKitCookieOptions options, bool expired = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        var sb = new StringBuilder(name.Length + value.Length + 96);
        sb.Append(name).Append('=');
        AppendUriComponent(sb, value);
        if (!string.IsNullOrEmpty(options.Path)) sb.Append("; Path=").Append(options.Path);
        if (!string.IsNullOrEmpty(options.Domain)) sb.Append("; Domain=").Append(options.Domain);
        if (options.MaxAge is not null || expired)
        {
            sb.Append("; Max-Age=").Append(expired ? 0 : ToSeconds(options.MaxAge!.Value).ToString(CultureInfo.InvariantCulture));
        }
        if (options.HttpOnly) sb.Append("; HttpOnly");
        if (options.Secure) sb.Append("; Secure");
        if (!string.IsNullOrEmpty(options.SameSite))
        {
            sb.Append("; SameSite=").Append(char.ToUpperInvariant(options.SameSite[0])).Append(options.SameSite.AsSpan(1).ToString().ToLowerInvariant());
        }
        if (!string.IsNullOrEmpty(options.Priority)) sb.Append("; Priority=").Append(options.Priority);
        if (options.Partitioned) sb.Append("; Partitioned");
        return sb.ToString();
    }

    /// <summary>Whole seconds of a Max-Age (fractions truncated).</summary>
    internal static long ToSeconds(TimeSpan maxAge) => (long)Math.Floor(maxAge.TotalSeconds);

    /// <summary>JavaScript <c>encodeURIComponent</c>: keeps <c>A-Z a-z 0-9 - _ . ! ~ * ' ( )</c>, percent-encodes UTF-8 otherwise.</summary>
    internal static void AppendUriComponent(StringBuilder sb, string value)
    {
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '!' or '~' or '*' or '\'' or '(' or ')')
            {
                sb.Append(c);
                continue;
            }
            int n;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                n = new Rune(c, value[i + 1]).EncodeToUtf8(utf8);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                throw new ArgumentException("The cookie value contains an unpaired surrogate (URI malformed).", nameof(value));
            }
            else
            {
                n = new Rune(c).EncodeToUtf8(utf8);
            }
            for (int k = 0; k < n; k++) sb.Append('%').Append(utf8[k].ToString("X2", CultureInfo.InvariantCulture));
        }
    }
}
