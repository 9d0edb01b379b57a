using AuthKit.Session;
using System.Net;
using System.Net.Http.Json;
using AuthKit.Blazor.Tests.TestSupport;
using AuthKit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AuthKit.Blazor.Tests.Integration;

public sealed class SessionLifecycleTests : IAsyncLifetime
{
    private AuthKitTestHost _host = null!;

    public async Task InitializeAsync() => _host = await AuthKitTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<TestBrowser> SignedInBrowserAsync(string email = "alice@example.com")
    {
        var browser = _host.NewBrowser();
        await _host.SignInAsync(browser, email);
        Assert.NotNull(browser.SessionCookie);
        _host.Emulator.ResetRequestCounts();
        return browser;
    }

    private async Task<AuthKitTestHost.Me> MeAsync(TestBrowser browser)
    {
        var response = await browser.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<AuthKitTestHost.Me>())!;
    }

    [Fact]
    public async Task An_expired_access_token_is_refreshed_and_the_rotated_cookie_is_written_on_the_same_response()
    {
        var browser = await SignedInBrowserAsync();
        var before = browser.SessionCookie;
        var firstExpiry = (await MeAsync(browser)).ExpiresAt;
        _host.Advance(TimeSpan.FromMinutes(6));

        var response = await browser.GetAsync("/protected");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("wos-session=Fe26.2*", StringComparison.Ordinal));
        Assert.NotEqual(before, browser.SessionCookie);
        Assert.True((await MeAsync(browser)).ExpiresAt > firstExpiry);
        Assert.Equal(1, _host.Emulator.RequestCounts.RefreshToken);
    }

    [Fact]
    public async Task A_token_inside_the_refresh_buffer_is_refreshed_proactively()
    {
        var browser = await SignedInBrowserAsync();
        _host.Advance(TimeSpan.FromMinutes(4.5));

        var response = await browser.GetAsync("/protected");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _host.Emulator.RequestCounts.RefreshToken);
    }

    [Fact]
    public async Task An_old_cookie_picks_up_a_session_rotated_by_a_circuit_instead_of_spending_a_dead_token()
    {
        var browser = await SignedInBrowserAsync();
        var auth = await CurrentAuthAsync(browser);

        // The circuit refreshes (e.g. before expiry) but the browser never stores the new cookie.
        var result = await RevalidateAsync(auth, force: true);
        Assert.Equal(RevalidationOutcome.Refreshed, result.Outcome);

        var response = await browser.GetAsync("/protected");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _host.Emulator.RequestCounts.RefreshToken);
        Assert.Equal(0, _host.Emulator.RequestCounts.RejectedRefreshTokens);
        Assert.Equal(result.SealedSession, browser.SessionCookie);
    }

    [Fact]
    public async Task An_old_cookie_follows_a_chain_of_three_circuit_rotations()
    {
        var browser = await SignedInBrowserAsync();
        var auth = await CurrentAuthAsync(browser);
        string? newest = null;
        for (var i = 0; i < 3; i++)
        {
            _host.Advance(TimeSpan.FromMinutes(4.5));
            var result = await RevalidateAsync(auth, force: false);
            Assert.Equal(RevalidationOutcome.Refreshed, result.Outcome);
            auth = result.Auth;
            newest = result.SealedSession;
        }

        var response = await browser.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, _host.Emulator.RequestCounts.RefreshToken);
        Assert.Equal(0, _host.Emulator.RequestCounts.RejectedRefreshTokens);
        Assert.Equal(newest, browser.SessionCookie);
    }

    [Fact]
    public async Task The_session_endpoint_stores_the_circuits_newest_session_in_the_cookie()
    {
        var browser = await SignedInBrowserAsync();
        var result = await RevalidateAsync(await CurrentAuthAsync(browser), force: true);

        var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/auth/session"), r =>
        {
            r.Headers.Add(AuthKitDefaults.SessionRequestHeader, "1");
            r.Headers.Add("Sec-Fetch-Site", "same-origin");
            r.Headers.Add("Origin", "http://localhost");
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(result.SealedSession, browser.SessionCookie);
        Assert.Contains("\"authenticated\":true", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cross-site", null, true)]
    [InlineData(null, "https://evil.example", true)]
    [InlineData("same-origin", null, false)]
    public async Task The_session_endpoint_rejects_cross_site_calls_and_calls_without_its_header(string? fetchSite, string? origin, bool withHeader)
    {
        var browser = await SignedInBrowserAsync();

        var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/auth/session"), r =>
        {
            if (withHeader) r.Headers.Add(AuthKitDefaults.SessionRequestHeader, "1");
            if (fetchSite is not null) r.Headers.Add("Sec-Fetch-Site", fetchSite);
            if (origin is not null) r.Headers.Add("Origin", origin);
        });

        Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.BadRequest, response.StatusCode.ToString());
    }

    [Fact]
    public async Task A_hundred_concurrent_requests_with_the_same_expired_cookie_refresh_exactly_once()
    {
        var browser = await SignedInBrowserAsync();
        _host.Advance(TimeSpan.FromMinutes(10));

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => browser.Clone().GetAsync("/protected")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, _host.Emulator.RequestCounts.RefreshToken);
        Assert.Equal(0, _host.Emulator.RequestCounts.RejectedRefreshTokens);
        var cookies = responses.Select(r => r.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("wos-session=", StringComparison.Ordinal))).Distinct();
        Assert.Single(cookies);
    }

    [Fact]
    public async Task WorkOS_down_during_a_proactive_refresh_keeps_the_user_signed_in_while_the_token_is_valid()
    {
        var browser = await SignedInBrowserAsync();
        var cookie = browser.SessionCookie;
        _host.Advance(TimeSpan.FromMinutes(4.5));
        _host.Emulator.InjectFault(new EmulatorFault { Route = "/user_management/authenticate", GrantType = "refresh_token", Status = 503, Count = null });

        var response = await browser.GetAsync("/protected");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(cookie, browser.SessionCookie);
        Assert.False(response.Headers.Contains("Set-Cookie"));

        // Once WorkOS is back the next request refreshes normally.
        _host.Emulator.ClearFaults();
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/protected")).StatusCode);
        Assert.NotEqual(cookie, browser.SessionCookie);
    }

    [Fact]
    public async Task WorkOS_down_after_the_token_expired_is_anonymous_but_keeps_the_cookie_for_later()
    {
        var browser = await SignedInBrowserAsync();
        var cookie = browser.SessionCookie;
        _host.Advance(TimeSpan.FromMinutes(6));
        _host.Emulator.InjectFault(new EmulatorFault { Route = "/user_management/authenticate", GrantType = "refresh_token", Status = 500, Count = null });

        var response = await browser.GetAsync("/api/me", r => r.Headers.Add("Accept", "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(cookie, browser.SessionCookie);
        _host.Emulator.ClearFaults();
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/protected")).StatusCode);
    }

    [Fact]
    public async Task A_revoked_session_is_signed_out_at_its_next_refresh_and_the_cookie_cleared()
    {
        var browser = await SignedInBrowserAsync();
        var me = await MeAsync(browser);
        _host.Emulator.RevokeSession(me.SessionId!);
        _host.Advance(TimeSpan.FromMinutes(6));

        var response = await browser.GetAsync("/protected");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Null(browser.SessionCookie);
    }

    [Fact]
    public async Task Losing_a_refresh_race_to_another_server_keeps_the_user_signed_in_while_the_token_is_valid()
    {
        // Two servers with the default in-memory store: neither sees the other's rotation. Server A spends the refresh
        // token; server B, asked with the same cookie a moment later, gets invalid_grant from WorkOS.
        await using var serverB = await AuthKitTestHost.StartSiblingAsync(_host);
        var onA = await SignedInBrowserAsync();
        var onB = onA.CloneTo(serverB);
        var cookie = onA.SessionCookie;
        _host.Advance(TimeSpan.FromMinutes(4.5)); // inside the refresh buffer, valid for 30 more seconds

        Assert.Equal(HttpStatusCode.OK, (await onA.GetAsync("/protected")).StatusCode);
        Assert.NotEqual(cookie, onA.SessionCookie);

        var lost = await onB.GetAsync("/api/me", r => r.Headers.Add("Accept", "application/json"));

        Assert.Equal(HttpStatusCode.OK, lost.StatusCode);
        Assert.Equal(1, _host.Emulator.RequestCounts.RejectedRefreshTokens);
        Assert.False(lost.Headers.Contains("Set-Cookie")); // neither cleared nor rewritten: no successor is known here
        Assert.Equal(cookie, onB.SessionCookie);
        Assert.Equal((await MeAsync(onA)).SessionId, (await lost.Content.ReadFromJsonAsync<AuthKitTestHost.Me>())!.SessionId);

        // Once the access token has expired, the rejection stands: anonymous and the dead cookie cleared.
        _host.Advance(TimeSpan.FromMinutes(1));
        var expired = await onB.GetAsync("/api/me", r => r.Headers.Add("Accept", "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Null(onB.SessionCookie);
        Assert.Equal(HttpStatusCode.OK, (await onA.GetAsync("/protected")).StatusCode); // the winner is unaffected
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("Fe26.2**0123*abc*def*ghi*0*jkl~2")]
    [InlineData("%ZZ%%")]
    public async Task Garbage_cookies_are_anonymous_cleared_and_never_a_500(string value)
    {
        var browser = _host.NewBrowser();
        browser.SetCookie("wos-session", value);

        var page = await browser.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("home:anonymous", await page.Content.ReadAsStringAsync());
        Assert.Null(browser.SessionCookie);
    }

    [Fact]
    public async Task A_tampered_cookie_is_anonymous_and_cleared()
    {
        var browser = await SignedInBrowserAsync();
        var cookie = browser.SessionCookie!;
        var middle = cookie.Length / 2;
        browser.SetCookie("wos-session", cookie[..middle] + (cookie[middle] == 'A' ? 'B' : 'A') + cookie[(middle + 1)..]);

        var response = await browser.GetAsync("/protected");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Null(browser.SessionCookie);
    }

    [Fact]
    public async Task An_oversized_cookie_is_anonymous_and_cleared()
    {
        var browser = _host.NewBrowser();
        browser.SetCookie("wos-session", "Fe26.2*" + new string('a', 20_000));

        var response = await browser.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("home:anonymous", await response.Content.ReadAsStringAsync());
        Assert.Null(browser.SessionCookie);
    }

    private async Task<AuthKit.Session.AuthResult> CurrentAuthAsync(TestBrowser browser)
    {
        // Read the cookie the way the scheme does, without going through HTTP (the circuit's starting state).
        var resolver = _host.Services.GetRequiredService<SessionResolver>();
        var resolution = await resolver.ResolveCookieAsync(browser.SessionCookie);
        Assert.True(resolution.Auth.IsAuthenticated);
        return resolution.Auth;
    }

    private async Task<RevalidationResult> RevalidateAsync(AuthKit.Session.AuthResult auth, bool force)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IAuthKitSessionCoordinator>().RevalidateAsync(auth, force);
    }
}
