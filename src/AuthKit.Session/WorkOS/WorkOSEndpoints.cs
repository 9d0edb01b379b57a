using System.Globalization;
using System.Text;

namespace AuthKit.Session;

/// <summary>Builds WorkOS URLs from the options (host, https, port).</summary>
internal static class WorkOSEndpoints
{
    public static Uri GetJwksUrl(AuthKitOptions options)
    {
        var clientId = options.ClientId is { Length: > 0 } id
            ? id
            : throw new InvalidOperationException("AuthKit is not configured: set AuthKit:ClientId (environment variable WORKOS_CLIENT_ID).");
        return BuildUri(options, "/sso/jwks/" + Uri.EscapeDataString(clientId), null);
    }

    public static Uri BuildUri(AuthKitOptions options, string path, IEnumerable<KeyValuePair<string, string?>>? query)
    {
        var builder = new StringBuilder(256)
            .Append(options.ApiHttps ? "https://" : "http://")
            .Append(options.ApiHostname);
        if (options.ApiPort is { } port)
        {
            builder.Append(':').Append(port.ToString(CultureInfo.InvariantCulture));
        }

        builder.Append(path);
        if (query is not null)
        {
            var first = true;
            foreach (var (key, value) in query)
            {
                if (string.IsNullOrEmpty(value))
                {
                    continue;
                }

                builder.Append(first ? '?' : '&').Append(key).Append('=').Append(Uri.EscapeDataString(value));
                first = false;
            }
        }

        return new Uri(builder.ToString(), UriKind.Absolute);
    }
}
