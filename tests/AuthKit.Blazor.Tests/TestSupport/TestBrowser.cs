using System.Net.Http.Json;
using Microsoft.Net.Http.Headers;

namespace AuthKit.Blazor.Tests.TestSupport;

/// <summary>A minimal browser for the in-memory app: a cookie jar honouring Set-Cookie (incl. Max-Age=0), no auto-redirects.</summary>
internal sealed class TestBrowser(AuthKitTestHost host)
{
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Cookies => _cookies;

    public string? SessionCookie => _cookies.GetValueOrDefault("wos-session");

    public void SetCookie(string name, string value) => _cookies[name] = value;

    public void RemoveCookie(string name) => _cookies.Remove(name);

    /// <summary>A copy of this browser's cookies in a new browser (e.g. a second tab holding an old cookie).</summary>
    public TestBrowser Clone() => CloneTo(host);

    /// <summary>A copy of this browser's cookies talking to <paramref name="other"/> (the same browser on another server).</summary>
    public TestBrowser CloneTo(AuthKitTestHost other)
    {
        var clone = new TestBrowser(other);
        foreach (var (k, v) in _cookies)
        {
            clone._cookies[k] = v;
        }

        return clone;
    }

    public Task<HttpResponseMessage> GetAsync(string path, Action<HttpRequestMessage>? configure = null) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, path), configure);

    public Task<HttpResponseMessage> PostFormAsync(string path, IDictionary<string, string> form, Action<HttpRequestMessage>? configure = null) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) }, configure);

    /// <summary>Posts a form with a valid antiforgery token (fetched first, as a rendered page would).</summary>
    public async Task<HttpResponseMessage> PostFormWithAntiforgeryAsync(string path, IDictionary<string, string> form)
    {
        var token = await (await GetAsync("/antiforgery")).Content.ReadFromJsonAsync<AuthKitTestHost.Token>();
        var withToken = new Dictionary<string, string>(form) { [token!.FieldName] = token.Value };
        return await PostFormAsync(path, withToken);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, Action<HttpRequestMessage>? configure = null)
    {
        if (_cookies.Count > 0)
        {
            request.Headers.Add(HeaderNames.Cookie, string.Join("; ", _cookies.Select(c => c.Key + "=" + c.Value)));
        }

        configure?.Invoke(request);
        var client = host.Server.CreateClient();
        var response = await client.SendAsync(request);
        if (response.Headers.TryGetValues(HeaderNames.SetCookie, out var setCookies))
        {
            foreach (var header in setCookies)
            {
                var parsed = SetCookieHeaderValue.Parse(header);
                var name = parsed.Name.ToString();
                if (parsed.MaxAge is { } maxAge && maxAge <= TimeSpan.Zero)
                {
                    _cookies.Remove(name);
                }
                else
                {
                    _cookies[name] = parsed.Value.ToString();
                }
            }
        }

        return response;
    }
}
