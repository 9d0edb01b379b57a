using AuthKit.Session;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Microsoft.Extensions.Primitives;

namespace AuthKit.Blazor;

/// <summary>
/// The session core's cookie storage for ASP.NET Core: reads request cookies and appends <c>Set-Cookie</c> values (in the
/// npm package's format, so a Node AuthKit app on the same domain reads them) to the response. A later write of the same
/// cookie on one response replaces the earlier one.
/// </summary>
internal sealed class HttpSessionCookies(IOptions<AuthKitOptions> options)
    : CookieSessionStorage<HttpRequest, HttpResponse>(options.Value)
{
    /// <summary>
    /// Every session cookie value of a request, in the order the browser sent them. Usually one; a sibling subdomain or
    /// another path can plant more under the same name, and ASP.NET Core's cookie collection would keep only one of them.
    /// </summary>
    public StringValues ReadSessions(HttpRequest request)
    {
        var header = request.Headers.Cookie;
        if (header.Count == 0)
        {
            return StringValues.Empty;
        }

        if (header.Count == 1 && CountNameOccurrences(header[0]) <= 1)
        {
            return request.Cookies[CookieName] is { Length: > 0 } single ? new StringValues(single) : StringValues.Empty;
        }

        if (!CookieHeaderValue.TryParseList(header, out var cookies))
        {
            return StringValues.Empty;
        }

        var values = new List<string>(2);
        foreach (var cookie in cookies)
        {
            if (cookie.Name.Equals(CookieName, StringComparison.Ordinal) && cookie.Value.Length > 0)
            {
                var value = cookie.Value.ToString();
                values.Add(value.Contains('%') ? Uri.UnescapeDataString(value) : value);
            }
        }

        return new StringValues([.. values]);
    }

    private int CountNameOccurrences(string? header)
    {
        var count = 0;
        var rest = header.AsSpan();
        for (var at = rest.IndexOf(CookieName, StringComparison.Ordinal); at >= 0 && count < 2; at = rest.IndexOf(CookieName, StringComparison.Ordinal))
        {
            count++;
            rest = rest[(at + CookieName.Length)..];
        }

        return count;
    }

    /// <summary>Writes the session cookie.</summary>
    public void WriteSession(HttpResponse response, string sealedSession) =>
        Append(response, CookieName, SerializeCookie(CookieName, sealedSession, SessionCookieOptions, expired: false));

    /// <summary>Clears the session cookie.</summary>
    public void ClearSession(HttpResponse response) =>
        Append(response, CookieName, SerializeCookie(CookieName, string.Empty, SessionCookieOptions, expired: true));

    /// <summary>Appends a serialized <c>Set-Cookie</c> (from the core, e.g. a verifier cookie) to the response.</summary>
    public static void AppendSetCookie(HttpResponse response, string setCookieHeader)
    {
        var separator = setCookieHeader.IndexOf('=', StringComparison.Ordinal);
        Append(response, separator > 0 ? setCookieHeader[..separator] : setCookieHeader, setCookieHeader);
    }

    /// <summary>Appends every <c>Set-Cookie</c> of a core headers bag to the response.</summary>
    public static void AppendHeaders(HttpResponse response, IReadOnlyDictionary<string, StringValues>? headers)
    {
        if (headers is null)
        {
            return;
        }

        foreach (var (name, values) in headers)
        {
            if (string.Equals(name, HeaderNames.SetCookie, StringComparison.OrdinalIgnoreCase))
            {
                foreach (var value in values)
                {
                    if (!string.IsNullOrEmpty(value))
                    {
                        AppendSetCookie(response, value);
                    }
                }
            }
        }
    }

    public override ValueTask<string?> GetCookieAsync(HttpRequest request, string name, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<string?>(request.Cookies[name]);

    protected override ValueTask<SessionStorageResult<HttpResponse>?> ApplySetCookieAsync(HttpResponse? response, string setCookieHeader, CancellationToken cancellationToken)
    {
        if (response is null)
        {
            return ValueTask.FromResult<SessionStorageResult<HttpResponse>?>(null);
        }

        AppendSetCookie(response, setCookieHeader);
        return ValueTask.FromResult<SessionStorageResult<HttpResponse>?>(new SessionStorageResult<HttpResponse>(response, null));
    }

    private static void Append(HttpResponse response, string name, string setCookieHeader)
    {
        if (response.HasStarted)
        {
            return;
        }

        var prefix = name + "=";
        var existing = response.Headers.SetCookie;
        if (existing.Count > 0)
        {
            response.Headers.SetCookie = new StringValues(existing.Where(v => v is not null && !v.StartsWith(prefix, StringComparison.Ordinal)).ToArray());
        }

        response.Headers.Append(HeaderNames.SetCookie, setCookieHeader);
        response.Headers.CacheControl = "no-cache, no-store";
    }
}
