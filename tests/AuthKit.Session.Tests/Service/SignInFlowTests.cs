using System.Web;
using AuthKit.Session.Tests.Fakes;

namespace AuthKit.Session.Tests.Service;

/// <summary>The whole life of a session, driven through <see cref="AuthService{TRequest, TResponse}"/> with a cookie jar.</summary>
public sealed class SignInFlowTests : IDisposable
{
    private readonly ServiceHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Sign_in_then_request_then_refresh_then_switch_organization_then_sign_out()
    {
        var service = _h.Service;
        var browser = _h.Browser;

        // Sign in: verifier cookie, hosted page, callback.
        var start = await service.CreateSignInAsync(null, new AuthorizationOptions { ReturnPathname = "/projects", OrganizationId = "org_acme" });
        browser.Apply(start.Headers);
        var query = HttpUtility.ParseQueryString(start.Url.Query);
        Assert.Equal("org_acme", query["organization_id"]);
        var code = _h.WorkOS.IssueCode("user_alice", query["code_challenge"]!, "org_acme");
        var callback = await service.HandleCallbackAsync(browser.NewRequest(), null, code, query["state"]);
        browser.Apply(callback.Headers);
        Assert.Equal("/projects", callback.ReturnPathname);
        Assert.Equal(["wos-session"], browser.Jar.Keys);

        // Authenticated request: served from the cookie, no WorkOS call.
        var request = await service.WithAuthAsync(browser.NewRequest());
        Assert.True(request.Auth.IsAuthenticated);
        Assert.Equal("org_acme", request.Auth.OrganizationId);
        Assert.Null(request.RefreshedSessionData);
        var sessionId = request.Auth.SessionId;

        // The access token expires: the next request refreshes and hands back a new cookie.
        _h.Time.Advance(_h.WorkOS.AccessTokenLifetime);
        var refreshed = await service.WithAuthAsync(browser.NewRequest());
        Assert.True(refreshed.Auth.IsAuthenticated);
        Assert.NotNull(refreshed.RefreshedSessionData);
        Assert.Equal(sessionId, refreshed.Auth.SessionId);
        Assert.Equal("org_acme", refreshed.Auth.OrganizationId);
        browser.Apply((await service.SaveSessionAsync(null, refreshed.RefreshedSessionData)).Headers);
        Assert.Null((await service.WithAuthAsync(browser.NewRequest())).RefreshedSessionData);

        // Switch organization.
        var current = (await service.GetSessionAsync(browser.NewRequest()))!;
        var switched = await service.SwitchOrganizationAsync(current, "org_globex");
        browser.Apply((await service.SaveSessionAsync(null, switched.EncryptedSession)).Headers);
        var afterSwitch = await service.WithAuthAsync(browser.NewRequest());
        Assert.Equal("org_globex", afterSwitch.Auth.OrganizationId);
        Assert.Equal(sessionId, afterSwitch.Auth.SessionId);

        // Sign out.
        var signOut = await service.SignOutAsync(afterSwitch.Auth.SessionId!, "https://app.example.test/");
        browser.Apply(signOut.Headers);
        Assert.Equal(sessionId, HttpUtility.ParseQueryString(signOut.LogoutUrl.Query)["session_id"]);
        Assert.Empty(browser.Jar);
        Assert.False((await service.WithAuthAsync(browser.NewRequest())).Auth.IsAuthenticated);

        Assert.Equal(1, _h.WorkOS.CodeRequests);
        Assert.Equal(2, _h.WorkOS.RefreshRequests);
    }

    [Fact]
    public async Task Concurrent_requests_with_the_same_expired_cookie_all_get_the_successor()
    {
        _h.SignInDirectly("org_acme", TimeSpan.FromMinutes(1));
        _h.Time.Advance(TimeSpan.FromMinutes(2));
        await _h.Core.Core.VerifyTokenAsync(_h.WorkOS.MintAccessToken("user_alice", "s"));
        _h.WorkOS.AuthenticateGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var requests = Enumerable.Range(0, 50).Select(_ => Task.Run(() => _h.Service.WithAuthAsync(_h.Browser.NewRequest()))).ToArray();
        Assert.True(await _h.WorkOS.AuthenticateArrived.WaitAsync(TimeSpan.FromSeconds(10)));
        _h.WorkOS.AuthenticateGate.SetResult();
        var results = await Task.WhenAll(requests);
        var late = await _h.Service.WithAuthAsync(_h.Browser.NewRequest());

        Assert.Equal(1, _h.WorkOS.RefreshRequests);
        var successor = results[0].Auth.RefreshToken;
        Assert.All(results.Append(late), r =>
        {
            Assert.True(r.Auth.IsAuthenticated);
            Assert.Equal(successor, r.Auth.RefreshToken);
            Assert.NotNull(r.RefreshedSessionData);
        });
    }
}
