using System.Net;
using System.Net.Http.Json;
using AuthKit.Blazor.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace AuthKit.Blazor.Tests.Integration;

/// <summary>
/// What an outside attacker can send: cross-site sign-out posts, non-ASCII options and return paths, duplicated session
/// cookies. Each gets a clear, safe outcome: never a forced sign-out, never a header that cannot be written.
/// </summary>
public sealed class HostileInputTests : IAsyncLifetime
{
    private AuthKitTestHost _host = null!;

    public async Task InitializeAsync() => _host = await AuthKitTestHost.StartAsync(
        map: app => app.MapGet("/pages/{name}", (string name) => "page:" + name).RequireAuthorization());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(TestBrowser Browser, AuthKitTestHost.Me Me)> SignedInAsync(string returnPathname = "/")
    {
        var browser = _host.NewBrowser();
        await _host.SignInAsync(browser, returnPathname: returnPathname);
        var me = (await (await browser.GetAsync("/api/me")).Content.ReadFromJsonAsync<AuthKitTestHost.Me>())!;
        return (browser, me);
    }

    private static string RawLocation(HttpResponseMessage response) =>
        string.Join(",", response.Headers.NonValidated[HeaderNames.Location]);

    private static void AssertHeaderSafe(string value) =>
        Assert.True(!value.AsSpan().ContainsAnyExceptInRange(' ', '~'), $"not printable ASCII: {value}");

    // ------------------------------------------------------------------ sign-out CSRF

    [Fact]
    public async Task A_cross_site_sign_out_post_without_the_session_cookie_is_rejected_and_writes_no_cookie()
    {
        // A SameSite=Lax session cookie is not sent with a cross-site POST, so the request arrives without it.
        var (browser, me) = await SignedInAsync();
        var attacker = _host.NewBrowser();

        var response = await attacker.PostFormAsync("/auth/sign-out", new Dictionary<string, string>(), r =>
        {
            r.Headers.Add("Origin", "http://evil.example");
            r.Headers.Add("Sec-Fetch-Site", "cross-site");
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("did not come from this site", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains(HeaderNames.SetCookie));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/protected")).StatusCode);
        Assert.True(_host.Emulator.IsSessionActive(me.SessionId!));
    }

    [Fact]
    public async Task A_bare_sign_out_post_like_curl_writes_no_cookie()
    {
        var response = await _host.NewBrowser().SendAsync(new HttpRequestMessage(HttpMethod.Post, "/auth/sign-out"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains(HeaderNames.SetCookie));
    }

    [Fact]
    public async Task A_forged_sign_out_post_carrying_the_session_cookie_writes_no_cookie_and_ends_nothing()
    {
        var (browser, me) = await SignedInAsync();

        var response = await browser.PostFormAsync("/auth/sign-out", new Dictionary<string, string> { ["__RequestVerificationToken"] = "forged" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains(HeaderNames.SetCookie));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/protected")).StatusCode);
        Assert.True(_host.Emulator.IsSessionActive(me.SessionId!));
    }

    [Fact]
    public async Task A_page_whose_user_already_signed_out_elsewhere_posts_its_stale_token_and_just_goes_home()
    {
        var (browser, _) = await SignedInAsync();
        var token = await (await browser.GetAsync("/antiforgery")).Content.ReadFromJsonAsync<AuthKitTestHost.Token>();
        browser.RemoveCookie("wos-session"); // signed out in another tab: the cookie is gone, the page's token is stale

        var response = await browser.PostFormAsync("/auth/sign-out", new Dictionary<string, string> { [token!.FieldName] = token.Value });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", RawLocation(response));
        Assert.False(response.Headers.Contains(HeaderNames.SetCookie));
    }

    [Theory]
    [InlineData("/auth/sign-out")]
    [InlineData("/auth/switch-organization")]
    public async Task A_malformed_form_body_is_rejected_with_400_not_500(string path)
    {
        var (browser, me) = await SignedInAsync();
        var content = new StringContent("--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno closing boundary");
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x");

        var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = content });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(_host.Emulator.IsSessionActive(me.SessionId!));
    }

    // ------------------------------------------------------------------ non-ASCII

    [Theory]
    [InlineData("loginHint", "é", "login_hint=%C3%A9")]
    [InlineData("loginHint", "😀@example.com", "login_hint=%F0%9F%98%80%40example.com")]
    [InlineData("organizationId", "é", "organization_id=%C3%A9")]
    public async Task Non_ascii_sign_in_options_reach_WorkOS_percent_encoded(string option, string value, string expected)
    {
        var response = await _host.NewBrowser().GetAsync($"/auth/sign-in?{option}={Uri.EscapeDataString(value)}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = RawLocation(response);
        AssertHeaderSafe(location);
        Assert.Contains(expected, location, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("loginHint", "%0Aalice", "control characters")]
    [InlineData("organizationId", "org%00", "control characters")]
    [InlineData("prompt", "sometimes", "prompt")]
    [InlineData("maxAge", "soon", "maxAge")]
    public async Task Sign_in_options_that_cannot_be_sent_get_a_400_naming_the_option(string option, string encodedValue, string explanation)
    {
        var response = await _host.NewBrowser().GetAsync($"/auth/sign-in?{option}={encodedValue}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains(option, body, StringComparison.Ordinal);
        Assert.Contains(explanation, body, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains(HeaderNames.SetCookie));
    }

    [Fact]
    public async Task A_sign_in_option_longer_than_512_characters_gets_a_400()
    {
        var response = await _host.NewBrowser().GetAsync("/auth/sign-in?loginHint=" + new string('a', 513));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("longer than 512", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sign_in_returning_to_a_non_ascii_path_writes_the_session_and_an_encoded_location()
    {
        var browser = _host.NewBrowser();

        var callback = await _host.SignInAsync(browser, returnPathname: "/é?q=日本");

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("/%C3%A9?q=%E6%97%A5%E6%9C%AC", RawLocation(callback));
        Assert.NotNull(browser.SessionCookie);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/protected")).StatusCode);
    }

    [Fact]
    public async Task Sign_out_returning_to_a_non_ascii_path_clears_the_cookie_and_goes_through_WorkOS_logout_encoded()
    {
        var (browser, me) = await SignedInAsync();

        var response = await browser.PostFormWithAntiforgeryAsync("/auth/sign-out", new Dictionary<string, string> { ["returnTo"] = "/é" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = RawLocation(response);
        AssertHeaderSafe(location);
        Assert.StartsWith(_host.Emulator.BaseUri + "user_management/sessions/logout", location, StringComparison.Ordinal);
        Assert.Contains(Uri.EscapeDataString("http://localhost/%C3%A9"), location, StringComparison.Ordinal);
        Assert.Null(browser.SessionCookie);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/protected")).StatusCode);
        _ = me;
    }

    [Fact]
    public async Task Switching_organization_returning_to_a_non_ascii_path_redirects_encoded()
    {
        var (browser, _) = await SignedInAsync();

        var response = await browser.PostFormWithAntiforgeryAsync("/auth/switch-organization",
            new Dictionary<string, string> { ["organizationId"] = "org_globex", ["returnPathname"] = "/é" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/%C3%A9", RawLocation(response));
    }

    [Fact]
    public async Task An_unauthenticated_request_for_a_non_ascii_page_is_sent_to_sign_in_with_an_encoded_return_path()
    {
        var response = await _host.NewBrowser().GetAsync("/pages/%C3%A9t%C3%A9?q=%C3%A9");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = RawLocation(response);
        AssertHeaderSafe(location);
        Assert.Equal("/auth/sign-in?returnPathname=" + Uri.EscapeDataString("/pages/%C3%A9t%C3%A9?q=%C3%A9"), location);
    }

    // ------------------------------------------------------------------ duplicated cookies

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_garbage_sibling_session_cookie_neither_signs_the_user_out_nor_clears_the_real_cookie(bool validFirst)
    {
        var (browser, me) = await SignedInAsync();
        var valid = browser.SessionCookie!;
        browser.RemoveCookie("wos-session");
        var header = validFirst ? $"wos-session={valid}; wos-session=x" : $"wos-session=x; wos-session={valid}";

        var response = await browser.GetAsync("/api/me", r => r.Headers.Add(HeaderNames.Cookie, header));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(me.SessionId, (await response.Content.ReadFromJsonAsync<AuthKitTestHost.Me>())!.SessionId);
        Assert.False(response.Headers.Contains(HeaderNames.SetCookie));
    }

    [Fact]
    public async Task Duplicated_session_cookies_of_which_none_is_valid_are_cleared()
    {
        var response = await _host.NewBrowser().GetAsync("/", r => r.Headers.Add(HeaderNames.Cookie, "wos-session=x; wos-session=y"));

        Assert.Equal("home:anonymous", await response.Content.ReadAsStringAsync());
        Assert.Contains(response.Headers.GetValues(HeaderNames.SetCookie), v => v.StartsWith("wos-session=;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sign_out_with_a_garbage_sibling_cookie_still_ends_the_real_session()
    {
        var (browser, me) = await SignedInAsync();
        var token = await (await browser.GetAsync("/antiforgery")).Content.ReadFromJsonAsync<AuthKitTestHost.Token>();
        var antiforgeryCookies = string.Join("; ", browser.Cookies.Where(c => c.Key != "wos-session").Select(c => c.Key + "=" + c.Value));
        var header = $"wos-session=x; wos-session={browser.SessionCookie}; {antiforgeryCookies}";
        var fresh = _host.NewBrowser();

        var response = await fresh.PostFormAsync("/auth/sign-out", new Dictionary<string, string> { [token!.FieldName] = token.Value },
            r => r.Headers.Add(HeaderNames.Cookie, header));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("session_id=" + Uri.EscapeDataString(me.SessionId!), RawLocation(response), StringComparison.Ordinal);
    }
}
