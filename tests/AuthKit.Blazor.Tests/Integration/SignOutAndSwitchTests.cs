using AuthKit.Session;
using System.Net;
using System.Net.Http.Json;
using AuthKit.Blazor.Tests.TestSupport;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AuthKit.Blazor.Tests.Integration;

public sealed class SignOutAndSwitchTests : IAsyncLifetime
{
    private AuthKitTestHost _host = null!;
    private readonly List<string> _events = [];

    public async Task InitializeAsync() => _host = await AuthKitTestHost.StartAsync(
        b => b.WithEvents(e =>
        {
            e.OnSignedOut = ctx => { lock (_events) { _events.Add("signed-out:" + ctx.SessionId); } return Task.CompletedTask; };
        }),
        app => app.MapPost("/local-sign-out", async (HttpContext ctx) =>
        {
            await ctx.SignOutAsync(AuthKitDefaults.AuthenticationScheme);
            return "signed out";
        }));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(TestBrowser Browser, AuthKitTestHost.Me Me)> SignedInAsync()
    {
        var browser = _host.NewBrowser();
        await _host.SignInAsync(browser);
        var me = (await (await browser.GetAsync("/api/me")).Content.ReadFromJsonAsync<AuthKitTestHost.Me>())!;
        return (browser, me);
    }

    [Fact]
    public async Task Sign_out_clears_the_cookie_redirects_to_the_WorkOS_logout_and_rejects_the_old_cookie_afterwards()
    {
        var (browser, me) = await SignedInAsync();
        var oldTab = browser.Clone();

        var response = await browser.PostFormWithAntiforgeryAsync("/auth/sign-out", new Dictionary<string, string> { ["returnTo"] = "/goodbye" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var logout = response.Headers.Location!;
        Assert.StartsWith(_host.Emulator.BaseUri + "user_management/sessions/logout", logout.ToString(), StringComparison.Ordinal);
        Assert.Contains("session_id=" + Uri.EscapeDataString(me.SessionId!), logout.Query, StringComparison.Ordinal);
        Assert.Contains(Uri.EscapeDataString("http://localhost/goodbye"), logout.Query, StringComparison.Ordinal);
        Assert.Null(browser.SessionCookie);
        Assert.Contains("signed-out:" + me.SessionId, _events);

        // Another tab still holding the old cookie (whose access token is still valid) is signed out too.
        var old = await oldTab.GetAsync("/protected");
        Assert.Equal(HttpStatusCode.Redirect, old.StatusCode);
        Assert.Null(oldTab.SessionCookie);
    }

    [Fact]
    public async Task HttpContext_SignOutAsync_clears_the_cookie_and_ends_the_session_everywhere()
    {
        var (browser, _) = await SignedInAsync();
        var otherTab = browser.Clone();

        var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/local-sign-out"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(browser.SessionCookie);
        Assert.Equal(HttpStatusCode.Redirect, (await otherTab.GetAsync("/protected")).StatusCode);
    }

    [Fact]
    public async Task Sign_out_reaches_circuits_through_the_ended_session_registry()
    {
        var (browser, _) = await SignedInAsync();
        var auth = (await _host.Services.GetRequiredService<SessionResolver>().ResolveCookieAsync(browser.SessionCookie)).Auth;

        await browser.PostFormWithAntiforgeryAsync("/auth/sign-out", new Dictionary<string, string>());
        await using var scope = _host.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<IAuthKitSessionCoordinator>().RevalidateAsync(auth, force: false);

        Assert.Equal(RevalidationOutcome.SignedOut, result.Outcome);
        Assert.Equal(SignOutReason.EndedElsewhere, result.Reason);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example")]
    public async Task Sign_out_never_returns_to_another_site(string returnTo)
    {
        var (browser, _) = await SignedInAsync();

        var response = await browser.PostFormWithAntiforgeryAsync("/auth/sign-out", new Dictionary<string, string> { ["returnTo"] = returnTo });

        var query = System.Web.HttpUtility.ParseQueryString(response.Headers.Location!.Query);
        Assert.StartsWith("http://localhost/", query["return_to"], StringComparison.Ordinal);
        Assert.DoesNotContain("evil", query["return_to"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_out_returns_to_the_configured_origin_whatever_the_Host_header_says()
    {
        var (browser, _) = await SignedInAsync();
        var token = await (await browser.GetAsync("/antiforgery")).Content.ReadFromJsonAsync<AuthKitTestHost.Token>();

        var response = await browser.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "/auth/sign-out") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { [token!.FieldName] = token.Value }) },
            r => r.Headers.Host = "evil.example");

        var query = System.Web.HttpUtility.ParseQueryString(response.Headers.Location!.Query);
        Assert.Equal("http://localhost/", query["return_to"]);
    }

    [Fact]
    public async Task Sign_out_without_an_antiforgery_token_is_rejected_and_keeps_the_session()
    {
        var (browser, _) = await SignedInAsync();
        var cookie = browser.SessionCookie;

        var response = await browser.PostFormAsync("/auth/sign-out", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(cookie, browser.SessionCookie);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/protected")).StatusCode);
    }

    [Fact]
    public async Task Sign_out_from_a_page_whose_session_already_ended_still_completes()
    {
        var (browser, me) = await SignedInAsync();
        var token = await (await browser.GetAsync("/antiforgery")).Content.ReadFromJsonAsync<AuthKitTestHost.Token>();
        _host.Emulator.RevokeSession(me.SessionId!);
        _host.Advance(TimeSpan.FromMinutes(6)); // the refresh is now rejected: the request is anonymous

        var response = await browser.PostFormAsync("/auth/sign-out", new Dictionary<string, string> { [token!.FieldName] = token.Value });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
        Assert.Null(browser.SessionCookie);
    }

    [Fact]
    public async Task Switching_organization_rewrites_the_cookie_and_changes_organization_and_role()
    {
        var (browser, before) = await SignedInAsync();

        var response = await browser.PostFormWithAntiforgeryAsync("/auth/switch-organization",
            new Dictionary<string, string> { ["organizationId"] = "org_globex", ["returnPathname"] = "/account" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account", response.Headers.Location!.OriginalString);
        var after = (await (await browser.GetAsync("/api/me")).Content.ReadFromJsonAsync<AuthKitTestHost.Me>())!;
        Assert.Equal("org_acme", before.OrganizationId);
        Assert.Equal("org_globex", after.OrganizationId);
        Assert.Equal("member", after.Role);
        Assert.Equal(before.SessionId, after.SessionId);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task Switching_without_an_antiforgery_token_is_rejected()
    {
        var (browser, _) = await SignedInAsync();

        var response = await browser.PostFormAsync("/auth/switch-organization", new Dictionary<string, string> { ["organizationId"] = "org_globex" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var me = (await (await browser.GetAsync("/api/me")).Content.ReadFromJsonAsync<AuthKitTestHost.Me>())!;
        Assert.Equal("org_acme", me.OrganizationId);
    }

    [Fact]
    public async Task Switching_to_an_organization_without_membership_fails_clearly_and_keeps_the_session()
    {
        var browser = _host.NewBrowser();
        await _host.SignInAsync(browser, "bob@example.com");

        var response = await browser.PostFormWithAntiforgeryAsync("/auth/switch-organization", new Dictionary<string, string> { ["organizationId"] = "org_globex" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("organization", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/protected")).StatusCode);
    }

    [Fact]
    public async Task Switching_while_signed_out_redirects_to_sign_in()
    {
        var browser = _host.NewBrowser();

        var response = await browser.PostFormWithAntiforgeryAsync("/auth/switch-organization", new Dictionary<string, string> { ["organizationId"] = "org_globex" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/auth/sign-in", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }
}
