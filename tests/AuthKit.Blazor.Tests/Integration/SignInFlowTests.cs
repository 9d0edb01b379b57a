using System.Net;
using System.Net.Http.Json;
using AuthKit.Blazor.Tests.TestSupport;

namespace AuthKit.Blazor.Tests.Integration;

public sealed class SignInFlowTests : IAsyncLifetime
{
    private AuthKitTestHost _host = null!;

    public async Task InitializeAsync() => _host = await AuthKitTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_full_sign_in_flow_lands_on_the_return_path_with_a_session_cookie()
    {
        var browser = _host.NewBrowser();

        var callback = await _host.SignInAsync(browser, returnPathname: "/protected?tab=2");

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("/protected?tab=2", callback.Headers.Location!.OriginalString);
        var setCookies = callback.Headers.GetValues("Set-Cookie").ToList();
        Assert.Contains(setCookies, c => c.StartsWith("wos-session=Fe26.2*", StringComparison.Ordinal) && c.Contains("HttpOnly") && c.Contains("SameSite=Lax"));
        Assert.Contains(setCookies, c => c.StartsWith("wos-auth-verifier-", StringComparison.Ordinal) && c.Contains("Max-Age=0"));
        Assert.DoesNotContain(browser.Cookies.Keys, k => k.StartsWith("wos-auth-verifier", StringComparison.Ordinal));

        var page = await browser.GetAsync("/protected");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("protected:alice@example.com", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_protected_page_redirects_anonymous_browsers_to_sign_in_with_the_return_path()
    {
        var browser = _host.NewBrowser();

        var response = await browser.GetAsync("/protected?x=1");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/auth/sign-in?returnPathname=%2Fprotected%3Fx%3D1", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("application/json", null, null)]
    [InlineData(null, "XMLHttpRequest", null)]
    [InlineData(null, null, "cors")]
    public async Task A_protected_api_answers_401_to_fetch_requests(string? accept, string? requestedWith, string? fetchMode)
    {
        var browser = _host.NewBrowser();

        var response = await browser.GetAsync("/api/me", r =>
        {
            if (accept is not null) r.Headers.Add("Accept", accept);
            if (requestedWith is not null) r.Headers.Add("X-Requested-With", requestedWith);
            if (fetchMode is not null) r.Headers.Add("Sec-Fetch-Mode", fetchMode);
        });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Blazor_enhanced_navigation_to_a_protected_page_gets_the_sign_in_redirect()
    {
        var browser = _host.NewBrowser();

        var response = await browser.GetAsync("/protected", r =>
        {
            r.Headers.TryAddWithoutValidation("Accept", "text/html; blazor-enhanced-nav=on");
            r.Headers.Add("Sec-Fetch-Mode", "cors");
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/auth/sign-in?returnPathname=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_principal_carries_organization_role_and_permission_claims_for_policies()
    {
        var alice = _host.NewBrowser();
        await _host.SignInAsync(alice);
        var bob = _host.NewBrowser();
        await _host.SignInAsync(bob, "bob@example.com");

        var me = await (await alice.GetAsync("/api/me")).Content.ReadFromJsonAsync<AuthKitTestHost.Me>();
        var aliceAdmin = await alice.GetAsync("/admin");
        var bobAdmin = await bob.GetAsync("/admin");

        Assert.Equal("org_acme", me!.OrganizationId);
        Assert.Equal("admin", me.Role);
        Assert.Equal(HttpStatusCode.OK, aliceAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, bobAdmin.StatusCode);
    }

    [Theory]
    [InlineData("https://evil.example/steal")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("javascript:alert(1)")]
    public async Task Hostile_return_paths_end_on_a_local_page(string hostile)
    {
        var browser = _host.NewBrowser();

        var callback = await _host.SignInAsync(browser, returnPathname: hostile);

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        var location = callback.Headers.Location!.OriginalString;
        Assert.StartsWith("/", location);
        Assert.False(location.StartsWith("//", StringComparison.Ordinal));
        Assert.DoesNotContain("evil", location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_callback_without_its_verifier_cookie_shows_a_400_page_and_no_secrets()
    {
        var browser = _host.NewBrowser();
        var start = await browser.GetAsync("/auth/sign-in");
        _host.Emulator.SetAutoSignIn("alice@example.com", "org_acme");
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var callbackUri = (await client.GetAsync(start.Headers.Location)).Headers.Location!;
        foreach (var name in browser.Cookies.Keys.Where(k => k.StartsWith("wos-auth-verifier", StringComparison.Ordinal)).ToList())
        {
            browser.RemoveCookie(name);
        }

        var response = await browser.GetAsync(callbackUri.PathAndQuery);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Sign-in failed", html, StringComparison.Ordinal);
        var code = System.Web.HttpUtility.ParseQueryString(callbackUri.Query)["code"]!;
        Assert.DoesNotContain(code, html, StringComparison.Ordinal);
        Assert.Null(browser.SessionCookie);
    }

    [Fact]
    public async Task A_forged_state_is_rejected_and_the_verifier_cookie_cleared()
    {
        var browser = _host.NewBrowser();
        await browser.GetAsync("/auth/sign-in");
        var verifier = browser.Cookies.Keys.Single(k => k.StartsWith("wos-auth-verifier", StringComparison.Ordinal));

        var response = await browser.GetAsync("/auth/callback?code=abc&state=" + Uri.EscapeDataString(browser.Cookies[verifier] + "x"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(browser.SessionCookie);
    }

    [Fact]
    public async Task A_WorkOS_error_on_the_callback_is_shown_HTML_encoded()
    {
        var browser = _host.NewBrowser();

        var response = await browser.GetAsync("/auth/callback?error=access_denied&error_description=" + Uri.EscapeDataString("<script>alert(1)</script>"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_used_code_is_an_exchange_failure_not_a_500()
    {
        var browser = _host.NewBrowser();
        _host.Emulator.SetAutoSignIn("alice@example.com", "org_acme");
        var start = await browser.GetAsync("/auth/sign-in");
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var callbackUri = (await client.GetAsync(start.Headers.Location)).Headers.Location!;
        var replay = browser.Clone();
        await browser.GetAsync(callbackUri.PathAndQuery);

        var second = await replay.GetAsync(callbackUri.PathAndQuery);

        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
    }
}
