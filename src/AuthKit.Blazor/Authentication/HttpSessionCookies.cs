using System.Text;
using AuthKit.Session;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace AuthKit.Blazor;

/// <summary>
/// Reads and writes AuthKit's cookies on ASP.NET Core requests and responses, in the npm package's <c>Set-Cookie</c>
/// format (so a Node AuthKit app on the same domain reads them). A later write of the same cookie on one response
/// replaces the earlier one.
/// </summary>
internal sealed class HttpSessionCookies(IOptionsMonitor<AuthKitOptions> authKitOptions) : ISessionStorage<HttpRequest, HttpResponse>
{
    private AuthKitOptions Options => authKitOptions.CurrentValue;

    /// <summary>The session cookie name.</summary>
    public string CookieName => Options.CookieName;

    /// <summary>Attributes of the session cookie: Path=/, HttpOnly, SameSite from options, Secure when the redirect URI is https (or SameSite=None).</summary>
    public AuthKitCookieOptions SessionCookieOptions
    {
        get
        {
            var options = Options;
            var sameSite = string.IsNullOrEmpty(options.CookieSameSite) ? "lax" : options.CookieSameSite;
            var secure = true;
            if (!string.Equals(sameSite, "none", StringComparison.OrdinalIgnoreCase) &&
                Uri.TryCreate(options.RedirectUri, UriKind.Absolute, out var redirect))
            {
                secure = redirect.Scheme == Uri.UriSchemeHttps;
            }

            return new AuthKitCookieOptions
            {
                Path = "/",
                HttpOnly = true,
                SameSite = sameSite,
                Secure = secure,
                MaxAge = options.CookieMaxAge,
                Domain = string.IsNullOrEmpty(options.CookieDomain) ? null : options.CookieDomain,
            };
        }
    }

    /// <summary>The session cookie of a request, or null.</summary>
    public string? ReadSession(HttpRequest request) => request.Cookies[CookieName];

    /// <summary>Writes the session cookie.</summary>
    public void WriteSession(HttpResponse response, string sealedSession) => Write(response, CookieName, sealedSession, SessionCookieOptions, expired: false);

    /// <summary>Clears the session cookie.</summary>
    public void ClearSession(HttpResponse response) => Write(response, CookieName, string.Empty, SessionCookieOptions, expired: true);

    public ValueTask<string?> GetCookieAsync(HttpRequest request, string name, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(request.Cookies[name]);

    public ValueTask<SessionStorageResult<HttpResponse>> SetCookieAsync(HttpResponse? response, string name, string value, AuthKitCookieOptions options, CancellationToken cancellationToken = default) =>
        Apply(response, name, value, options, expired: false);

    public ValueTask<SessionStorageResult<HttpResponse>> ClearCookieAsync(HttpResponse? response, string name, AuthKitCookieOptions options, CancellationToken cancellationToken = default) =>
        Apply(response, name, string.Empty, options, expired: true);

    public ValueTask<string?> GetSessionAsync(HttpRequest request, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(ReadSession(request));

    public ValueTask<SessionStorageResult<HttpResponse>> SaveSessionAsync(HttpResponse? response, string sealedSession, CancellationToken cancellationToken = default) =>
        Apply(response, CookieName, sealedSession, SessionCookieOptions, expired: false);

    public ValueTask<SessionStorageResult<HttpResponse>> ClearSessionAsync(HttpResponse? response, CancellationToken cancellationToken = default) =>
        Apply(response, CookieName, string.Empty, SessionCookieOptions, expired: true);

    private static ValueTask<SessionStorageResult<HttpResponse>> Apply(HttpResponse? response, string name, string value, AuthKitCookieOptions options, bool expired)
    {
        if (response is null)
        {
            var header = Serialize(name, value, options, expired);
            return ValueTask.FromResult(new SessionStorageResult<HttpResponse>(null, new Dictionary<string, StringValues> { [HeaderNames.SetCookie] = header }));
        }

        Write(response, name, value, options, expired);
        return ValueTask.FromResult(new SessionStorageResult<HttpResponse>(response, null));
    }

    /// <summary>Appends a <c>Set-Cookie</c>, replacing an earlier one for the same cookie on this response.</summary>
    internal static void Write(HttpResponse response, string name, string value, AuthKitCookieOptions options, bool expired)
    {
        if (response.HasStarted)
        {
            return;
        }

        var prefix = name + "=";
        var existing = response.Headers.SetCookie;
        if (existing.Count > 0)
        {
            var kept = existing.Where(v => v is not null && !v.StartsWith(prefix, StringComparison.Ordinal)).ToArray();
            response.Headers.SetCookie = new StringValues(kept);
        }

        response.Headers.Append(HeaderNames.SetCookie, Serialize(name, value, options, expired));
        response.Headers.CacheControl = "no-cache, no-store";
    }

    /// <summary>Serializes like the npm package's <c>serializeCookie</c>.</summary>
    internal static string Serialize(string name, string value, AuthKitCookieOptions options, bool expired)
    {
        var builder = new StringBuilder(name.Length + value.Length + 96);
        builder.Append(name).Append('=').Append(Uri.EscapeDataString(value).Replace("%2A", "*", StringComparison.Ordinal)
            .Replace("%21", "!", StringComparison.Ordinal).Replace("%27", "'", StringComparison.Ordinal)
            .Replace("%28", "(", StringComparison.Ordinal).Replace("%29", ")", StringComparison.Ordinal));
        if (!string.IsNullOrEmpty(options.Path))
        {
            builder.Append("; Path=").Append(options.Path);
        }

        if (!string.IsNullOrEmpty(options.Domain))
        {
            builder.Append("; Domain=").Append(options.Domain);
        }

        if (options.MaxAge is not null || expired)
        {
            builder.Append("; Max-Age=").Append(expired ? 0 : (long)options.MaxAge!.Value.TotalSeconds);
        }

        if (options.HttpOnly)
        {
            builder.Append("; HttpOnly");
        }

        if (options.Secure)
        {
            builder.Append("; Secure");
        }

        if (!string.IsNullOrEmpty(options.SameSite))
        {
            builder.Append("; SameSite=").Append(char.ToUpperInvariant(options.SameSite[0])).Append(options.SameSite[1..].ToLowerInvariant());
        }

        if (!string.IsNullOrEmpty(options.Priority))
        {
            builder.Append("; Priority=").Append(options.Priority);
        }

        if (options.Partitioned)
        {
            builder.Append("; Partitioned");
        }

        return builder.ToString();
    }
}
