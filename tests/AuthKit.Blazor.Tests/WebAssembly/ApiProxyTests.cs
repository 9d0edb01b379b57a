using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AuthKit.Blazor.Tests.TestSupport;
using AuthKit.Session;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AuthKit.Blazor.Tests.WebAssembly;

/// <summary>
/// MapAuthKitApiProxy (TestServer app against the emulator) forwarding to a real loopback API that echoes what it got;
/// the opt-in token endpoint, the session endpoint's WebAssembly state and the organizations endpoint.
/// </summary>
public sealed class ApiProxyTests : IAsyncLifetime
{
    private WebApplication? _api;
    private AuthKitTestHost? _host;
    private int _apiCalls;

    private AuthKitTestHost Host => _host!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _api = builder.Build();
        _api.Map("/{**rest}", async (HttpContext context) =>
        {
            Interlocked.Increment(ref _apiCalls);
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            context.Response.Headers.Append("Set-Cookie", "api-cookie=1; Path=/");
            return TypedResults.Json(new Echo(
                context.Request.Method,
                context.Request.Path + context.Request.QueryString,
                context.Request.Headers.Authorization.ToString(),
                context.Request.Headers.Cookie.ToString(),
                context.Request.Headers[AuthKitDefaults.CsrfHeaderName].ToString(),
                body));
        });
        await _api.StartAsync();
        var apiBase = _api.Urls.First();

        _host = await AuthKitTestHost.StartAsync(
            authKit => authKit.AddWebAssemblySupport(),
            app =>
            {
                app.MapAuthKitApiProxy("/bff/{**path}", apiBase + "/v1");
                app.MapAuthKitAccessTokenEndpoint();
            });
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }

    private static void Csrf(HttpRequestMessage request) => request.Headers.Add(AuthKitDefaults.CsrfHeaderName, AuthKitDefaults.CsrfHeaderValue);

    private async Task<TestBrowser> SignedInAsync()
    {
        var browser = Host.NewBrowser();
        await Host.SignInAsync(browser);
        Assert.NotNull(browser.SessionCookie);
        return browser;
    }

    private async Task<AccessTokenClaims> AssertValidTokenAsync(string token)
    {
        var validation = await Host.Services.GetRequiredService<IAccessTokenVerifier>().ValidateAsync(token);
        Assert.True(validation.IsValid, $"the forwarded token was rejected: {validation.Failure}");
        return validation.Claims;
    }

    private static async Task AssertJsonErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(response.Headers.Location);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(error, body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Forwards_method_path_query_and_body_with_the_users_access_token_and_without_the_cookie_or_the_csrf_header()
    {
        var browser = await SignedInAsync();

        var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/bff/orders/7?expand=lines") { Content = new StringContent("{\"qty\":2}") }, Csrf);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = (await response.Content.ReadFromJsonAsync<Echo>())!;
        Assert.Equal("POST", echo.Method);
        Assert.Equal("/v1/orders/7?expand=lines", echo.Path);
        Assert.Equal("{\"qty\":2}", echo.Body);
        Assert.StartsWith("Bearer ", echo.Authorization, StringComparison.Ordinal);
        var claims = await AssertValidTokenAsync(echo.Authorization["Bearer ".Length..]);
        Assert.Equal("org_acme", claims.OrganizationId);
        Assert.Equal(string.Empty, echo.Cookie);
        Assert.Equal(string.Empty, echo.Csrf);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("api-cookie", StringComparison.Ordinal)),
            "the API's cookie reached the browser");
    }

    [Fact]
    public async Task Without_the_anti_csrf_header_the_proxy_answers_400_json_and_forwards_nothing()
    {
        var browser = await SignedInAsync();

        var missing = await browser.GetAsync("/bff/orders");
        var wrong = await browser.GetAsync("/bff/orders", r => r.Headers.Add(AuthKitDefaults.CsrfHeaderName, "yes"));

        await AssertJsonErrorAsync(missing, HttpStatusCode.BadRequest, "csrf_header_required");
        await AssertJsonErrorAsync(wrong, HttpStatusCode.BadRequest, "csrf_header_required");
        Assert.Equal(0, _apiCalls);
    }

    [Fact]
    public async Task A_cross_site_request_is_refused_with_403_json()
    {
        var browser = await SignedInAsync();

        var response = await browser.GetAsync("/bff/orders", r =>
        {
            Csrf(r);
            r.Headers.Add("Sec-Fetch-Site", "cross-site");
        });

        await AssertJsonErrorAsync(response, HttpStatusCode.Forbidden, "cross_site_request");
        Assert.Equal(0, _apiCalls);
    }

    [Fact]
    public async Task Without_a_session_cookie_the_proxy_answers_401_json_never_a_redirect()
    {
        var response = await Host.NewBrowser().GetAsync("/bff/orders", Csrf);

        await AssertJsonErrorAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal(0, _apiCalls);
    }

    [Fact]
    public async Task After_the_access_token_expired_the_proxy_attaches_a_refreshed_token_and_rotates_the_cookie()
    {
        var browser = await SignedInAsync();
        var first = (await (await browser.GetAsync("/bff/me", Csrf)).Content.ReadFromJsonAsync<Echo>())!.Authorization;
        var cookieBefore = browser.SessionCookie;

        Host.Advance(TimeSpan.FromMinutes(6));
        var response = await browser.GetAsync("/bff/me", Csrf);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var second = (await response.Content.ReadFromJsonAsync<Echo>())!.Authorization;
        Assert.NotEqual(first, second);
        var claims = await AssertValidTokenAsync(second["Bearer ".Length..]);
        Assert.True(claims.ExpiresAt > Host.Time.GetUtcNow());
        Assert.NotEqual(cookieBefore, browser.SessionCookie);
    }

    [Fact]
    public async Task The_cookie_scheme_answers_api_requests_with_401_json_and_page_loads_with_a_redirect()
    {
        var browser = Host.NewBrowser();

        var api = await browser.GetAsync("/protected", Csrf);
        var page = await browser.GetAsync("/protected", r => r.Headers.Add("Accept", "text/html"));

        await AssertJsonErrorAsync(api, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/auth/sign-in", page.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_opt_in_token_endpoint_hands_a_valid_token_uncached_only_with_the_header_and_a_session()
    {
        var browser = await SignedInAsync();

        var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/auth/access-token"), Csrf);
        var withoutHeader = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/auth/access-token"));
        var signedOut = await Host.NewBrowser().SendAsync(new HttpRequestMessage(HttpMethod.Post, "/auth/access-token"), Csrf);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var claims = await AssertValidTokenAsync(body.GetProperty("accessToken").GetString()!);
        Assert.Equal(claims.ExpiresAt?.ToUnixTimeSeconds(), body.GetProperty("expiresAt").GetInt64());
        Assert.False(body.TryGetProperty("refreshToken", out _));
        await AssertJsonErrorAsync(withoutHeader, HttpStatusCode.BadRequest, "csrf_header_required");
        await AssertJsonErrorAsync(signedOut, HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task The_token_endpoint_is_off_unless_mapped()
    {
        await using var host = await AuthKitTestHost.StartAsync(authKit => authKit.AddWebAssemblySupport());
        var browser = host.NewBrowser();
        await host.SignInAsync(browser);

        var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/auth/access-token"), Csrf);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_session_endpoint_hands_webassembly_the_user_and_claims_but_no_token()
    {
        var browser = await SignedInAsync();

        var withState = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/auth/session"), r => r.Headers.Add(AuthKitDefaults.SessionRequestHeader, "state"));
        var circuit = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/auth/session"), r => r.Headers.Add(AuthKitDefaults.SessionRequestHeader, "1"));

        var text = await withState.Content.ReadAsStringAsync();
        var state = JsonDocument.Parse(text).RootElement.GetProperty("state");
        Assert.Equal("alice@example.com", state.GetProperty("user").GetProperty("email").GetString());
        Assert.Equal("org_acme", state.GetProperty("claims").GetProperty("org_id").GetString());
        Assert.StartsWith("session_", state.GetProperty("claims").GetProperty("sid").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("oken", text, StringComparison.OrdinalIgnoreCase);
        Assert.False((await circuit.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("state", out _));
    }

    [Fact]
    public async Task The_organizations_endpoint_lists_the_users_organizations_as_json_for_the_webassembly_switcher()
    {
        var browser = await SignedInAsync();

        var response = await browser.GetAsync("/auth/organizations", Csrf);
        var withoutHeader = await browser.GetAsync("/auth/organizations");
        var signedOut = await Host.NewBrowser().GetAsync("/auth/organizations", Csrf);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var organizations = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(organizations.EnumerateArray(), o => o.GetProperty("id").GetString() == "org_acme" && o.GetProperty("name").GetString()!.Length > 0);
        await AssertJsonErrorAsync(withoutHeader, HttpStatusCode.BadRequest, "csrf_header_required");
        await AssertJsonErrorAsync(signedOut, HttpStatusCode.Unauthorized, "unauthenticated");
    }

    private sealed record Echo(string Method, string Path, string Authorization, string Cookie, string Csrf, string Body);
}
