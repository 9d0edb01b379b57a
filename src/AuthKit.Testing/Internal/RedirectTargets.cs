using System.Net;
using Microsoft.AspNetCore.WebUtilities;

namespace AuthKit.Testing.Internal;

/// <summary>Which redirect targets the emulator accepts, and URL building for them.</summary>
internal static class RedirectTargets
{
    public static string WithQuery(string uri, IEnumerable<KeyValuePair<string, string?>> values) => QueryHelpers.AddQueryString(uri, values);

    /// <summary>A loopback or allow-listed absolute http(s) URL without a fragment.</summary>
    public static bool IsAllowedRedirect(string? value, IEnumerable<string> allowedHosts, out Uri? uri)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(value) || !Uri.TryCreate(value, UriKind.Absolute, out var parsed)
            || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
            || parsed.Fragment.Length > 0 || parsed.UserInfo.Length > 0)
        {
            return false;
        }

        var ok = IsLoopbackOrAllowedHost(parsed.IdnHost, allowedHosts);
        if (ok)
        {
            uri = parsed;
        }

        return ok;
    }

    /// <summary>
    /// Whether a host name (without port) is <c>localhost</c>, a loopback IP literal (<c>127.x.x.x</c>, <c>[::1]</c>)
    /// or one of <paramref name="allowedHosts"/> (case-insensitive, exact).
    /// </summary>
    public static bool IsLoopbackOrAllowedHost(string host, IEnumerable<string> allowedHosts) =>
        host.Length > 0
        && (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip))
            || allowedHosts.Any(h => string.Equals(h, host, StringComparison.OrdinalIgnoreCase)));

    public static string Origin(Uri uri) => uri.GetLeftPart(UriPartial.Authority);
}
