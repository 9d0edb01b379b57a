using System.Net;
using System.Web;
using AuthKit.Session.Tests.Fakes;

namespace AuthKit.Session.Tests.Service;

public sealed class AuthServiceTests : IDisposable
{
    private readonly ServiceHarness _h = new();

    public void Dispose() => _h.Dispose();

    private AuthService<TestRequest, TestResponse> Service => _h.Service;

    [Fact]
    public async Task Without_a_cookie_the_request_is_anonymous()
    {
        var result = await Service.WithAuthAsync(new TestRequest());

        Assert.Same(WithAuthResult.Anonymous, result);
        Assert.False(result.Auth.IsAuthenticated);
        Assert.Null(result.Auth.User);
        Assert.Empty(result.Auth.Permissions);
    }

    [Fact]
    public async Task A_valid_cookie_gives_the_full_authenticated_result()
    {
        var session = _h.SignInDirectly("org_acme");
        session.Impersonator = new Impersonator { Email = "support@example.com", Reason = "Ticket 1" };
        _h.Browser.Jar["wos-session"] = _h.Core.Core.EncryptSession(session);

        var result = await Service.WithAuthAsync(_h.Browser.NewRequest());

        var auth = result.Auth;
        Assert.True(auth.IsAuthenticated);
        Assert.Null(result.RefreshedSessionData);
        Assert.Equal("user_alice", auth.User.Id);
        Assert.Equal(session.AccessToken, auth.AccessToken);
        Assert.Equal(session.RefreshToken, auth.RefreshToken);
        Assert.Equal(auth.Claims.SessionId, auth.SessionId);
        Assert.StartsWith("session_", auth.SessionId);
        Assert.Equal("org_acme", auth.OrganizationId);
        Assert.Equal("admin", auth.Role);
        Assert.Equal(["admin"], auth.Roles);
        Assert.Contains("posts:write", auth.Permissions);
        Assert.Equal(["audit-logs"], auth.Entitlements);
        Assert.Equal(["beta-ui"], auth.FeatureFlags);
        Assert.Equal("support@example.com", auth.Impersonator!.Email);
    }

    [Fact]
    public async Task An_expired_cookie_is_refreshed_and_the_new_session_data_returned()
    {
        var old = _h.SignInDirectly("org_acme", TimeSpan.FromMinutes(1));
        _h.Time.Advance(TimeSpan.FromMinutes(2));

        var result = await Service.WithAuthAsync(_h.Browser.NewRequest());

        Assert.True(result.Auth.IsAuthenticated);
        Assert.NotNull(result.RefreshedSessionData);
        var successor = _h.Core.Core.DecryptSession(result.RefreshedSessionData);
        Assert.Equal(result.Auth.RefreshToken, successor.RefreshToken);
        Assert.NotEqual(old.RefreshToken, successor.RefreshToken);
        Assert.Equal("org_acme", result.Auth.OrganizationId);
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("garbage")]
    [InlineData("oversized")]
    [InlineData("other-password")]
    public async Task A_bad_cookie_is_anonymous_never_an_exception(string kind)
    {
        var session = _h.SignInDirectly();
        var good = _h.Browser.Jar["wos-session"];
        _h.Browser.Jar["wos-session"] = kind switch
        {
            "tampered" => Tamper.Middle(good),
            "garbage" => "not-a-seal",
            "oversized" => "Fe26.2*" + new string('A', 100_000),
            _ => IronSeal.Seal("{}", new string('z', 40), TimeSpan.Zero),
        };

        var result = await Service.WithAuthAsync(_h.Browser.NewRequest());

        Assert.False(result.Auth.IsAuthenticated);
        Assert.Null(result.RefreshedSessionData);
        Assert.Equal(0, _h.WorkOS.RefreshRequests);
        Assert.NotNull(session);
    }

    [Fact]
    public async Task A_failed_refresh_is_anonymous()
    {
        _h.SignInDirectly(lifetime: TimeSpan.FromMinutes(1));
        _h.WorkOS.RevokeAllRefreshTokens();
        _h.Time.Advance(TimeSpan.FromMinutes(2));

        var result = await Service.WithAuthAsync(_h.Browser.NewRequest());

        Assert.False(result.Auth.IsAuthenticated);
        Assert.Equal(1, _h.WorkOS.RefreshRequests);
    }

    [Fact]
    public async Task Workos_being_down_during_a_refresh_is_anonymous()
    {
        _h.SignInDirectly(lifetime: TimeSpan.FromMinutes(1));
        _h.Time.Advance(TimeSpan.FromMinutes(2));
        await _h.Core.Core.VerifyTokenAsync(_h.WorkOS.MintAccessToken("user_alice", "s")); // keys loaded
        _h.WorkOS.Enqueue(_ => throw new HttpRequestException(HttpRequestError.ConnectionError));

        var result = await Service.WithAuthAsync(_h.Browser.NewRequest());

        Assert.False(result.Auth.IsAuthenticated);
    }

    [Fact]
    public async Task Get_session_reads_the_cookie_and_throws_for_a_tampered_one()
    {
        var session = _h.SignInDirectly();

        Assert.Null(await Service.GetSessionAsync(new TestRequest()));
        Assert.Equal(session.RefreshToken, (await Service.GetSessionAsync(_h.Browser.NewRequest()))!.RefreshToken);
        _h.Browser.Jar["wos-session"] = Tamper.Middle(_h.Browser.Jar["wos-session"]);
        await Assert.ThrowsAnyAsync<AuthKitException>(() => Service.GetSessionAsync(_h.Browser.NewRequest()));
    }

    [Fact]
    public async Task Saving_and_clearing_the_session_write_the_session_cookie()
    {
        var save = await Service.SaveSessionAsync(null, "sealed-value");
        var clear = await Service.ClearSessionAsync(null);

        var saved = SetCookie.Parse(save.Headers!["Set-Cookie"].Single()!);
        Assert.Equal(("wos-session", "sealed-value", 34_560_000, true, true, "Lax", "/"),
            (saved.Name, saved.Value, saved.MaxAge!.Value, saved.Secure, saved.HttpOnly, saved.SameSite, saved.Path));
        var cleared = SetCookie.Parse(clear.Headers!["Set-Cookie"].Single()!);
        Assert.Equal(("wos-session", "", 0), (cleared.Name, cleared.Value, cleared.MaxAge!.Value));
    }

    [Fact]
    public async Task Sign_out_returns_the_logout_url_and_clears_the_cookie()
    {
        _h.SignInDirectly();
        var auth = (await Service.WithAuthAsync(_h.Browser.NewRequest())).Auth;

        var result = await Service.SignOutAsync(auth.SessionId!, "https://app.example.test/bye");

        Assert.Equal("api.workos.test", result.LogoutUrl.Host);
        Assert.Equal("/user_management/sessions/logout", result.LogoutUrl.AbsolutePath);
        var query = HttpUtility.ParseQueryString(result.LogoutUrl.Query);
        Assert.Equal(auth.SessionId, query["session_id"]);
        Assert.Equal("https://app.example.test/bye", query["return_to"]);
        var cleared = SetCookie.Parse(result.Headers!["Set-Cookie"].Single()!);
        Assert.Equal(("wos-session", 0), (cleared.Name, cleared.MaxAge!.Value));
        Assert.Equal(0, _h.Core.Core.Cache.Count);
    }

    [Fact]
    public async Task Switching_organization_refreshes_into_the_new_organization()
    {
        var session = _h.SignInDirectly("org_acme");

        var result = await Service.SwitchOrganizationAsync(session, "org_globex");

        Assert.Equal("org_globex", result.Auth.OrganizationId);
        Assert.Equal(result.Session.RefreshToken, _h.Core.Core.DecryptSession(result.EncryptedSession).RefreshToken);
        var request = Assert.Single(_h.WorkOS.Requests, r => r.GrantType == "refresh_token");
        Assert.Equal("org_globex", request.Body!["organization_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Switching_to_an_organization_without_membership_fails_with_a_refresh_error()
    {
        var session = _h.SignInDirectly("org_acme");

        var error = await Assert.ThrowsAsync<TokenRefreshException>(() => Service.SwitchOrganizationAsync(session, "org_not_mine"));

        Assert.False(error.IsFinal);
        Assert.Equal("invalid_request", Assert.IsType<WorkOSOAuthException>(error.InnerException).Error);
    }

    [Fact]
    public async Task A_manual_refresh_keeps_the_organization()
    {
        var session = _h.SignInDirectly("org_globex");

        var result = await Service.RefreshSessionAsync(session);

        Assert.Equal("org_globex", result.Auth.OrganizationId);
        Assert.NotEqual(session.RefreshToken, result.Session.RefreshToken);
    }

    [Fact]
    public async Task Sign_in_writes_a_verifier_cookie_named_after_the_state_that_holds_the_state()
    {
        var result = await Service.CreateSignInAsync(null, new AuthorizationOptions { ReturnPathname = "/dashboard", LoginHint = "alice@example.com" });

        var query = HttpUtility.ParseQueryString(result.Url.Query);
        var state = query["state"]!;
        Assert.Equal("sign-in", query["screen_hint"]);
        Assert.Equal("alice@example.com", query["login_hint"]);
        Assert.Equal(TestOptions.RedirectUri, query["redirect_uri"]);
        Assert.Equal(PkceCookies.GetCookieName(state), result.CookieName);
        var cookie = SetCookie.Parse(result.Headers!["Set-Cookie"].Single()!);
        Assert.Equal((result.CookieName, state, 600, true, true, "Lax", "/"),
            (cookie.Name, cookie.Value, cookie.MaxAge!.Value, cookie.Secure, cookie.HttpOnly, cookie.SameSite, cookie.Path));
        var unsealed = _h.Core.Encryption.UnsealState(state, TestOptions.CookiePassword);
        Assert.Equal(AuthKit.Session.Pkce.CreateCodeChallenge(unsealed.CodeVerifier), query["code_challenge"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal("/dashboard", unsealed.ReturnPathname);
    }

    [Fact]
    public async Task Sign_up_sets_the_sign_up_screen_hint()
    {
        var result = await Service.CreateSignUpAsync(null);

        Assert.Equal("sign-up", HttpUtility.ParseQueryString(result.Url.Query)["screen_hint"]);
    }

    [Fact]
    public async Task Oversized_custom_state_is_refused_before_any_cookie_is_written()
    {
        var response = new TestResponse();

        await Assert.ThrowsAsync<PkcePayloadTooLargeException>(() =>
            Service.CreateSignInAsync(response, new AuthorizationOptions { State = new string('x', 3000) }));

        Assert.Empty(response.SetCookies);
    }

    [Fact]
    public async Task Stale_verifier_cookies_past_five_are_evicted_keeping_only_the_new_one()
    {
        var existing = Enumerable.Range(0, 5).Select(i => $"wos-auth-verifier-0000000{i}").Append("wos-session").Append("theme").ToArray();

        var result = await Service.CreateSignInAsync(null, new AuthorizationOptions { RequestCookieNames = existing });

        Assert.Equal(existing.Take(5), result.EvictedCookieNames);
        var headers = result.Headers!["Set-Cookie"];
        Assert.Equal(6, headers.Count);
        Assert.StartsWith(result.CookieName + "=", headers[0]);
        Assert.All(headers.Skip(1), h => Assert.Equal(0, SetCookie.Parse(h!).MaxAge));
    }

    [Fact]
    public async Task Four_pending_verifier_cookies_are_tolerated()
    {
        var existing = Enumerable.Range(0, 4).Select(i => $"wos-auth-verifier-0000000{i}");

        var result = await Service.CreateSignInAsync(null, new AuthorizationOptions { RequestCookieNames = existing });

        Assert.Empty(result.EvictedCookieNames);
        Assert.Single(result.Headers!["Set-Cookie"]);
    }

    [Fact]
    public async Task The_pkce_round_trip_saves_the_session_and_clears_the_verifier_in_two_separate_headers()
    {
        var start = await Service.CreateSignInAsync(null, new AuthorizationOptions { ReturnPathname = "/reports?year=2025#q4", State = "app-state-42" });
        _h.Browser.Apply(start.Headers);
        var (code, state) = SignInAtWorkOS(start.Url);

        var result = await Service.HandleCallbackAsync(_h.Browser.NewRequest(), null, code, state);

        Assert.Equal("/reports?year=2025#q4", result.ReturnPathname);
        Assert.Equal("app-state-42", result.State);
        Assert.True(result.Auth.IsAuthenticated);
        Assert.Equal("user_alice", result.Auth.User.Id);
        Assert.Equal("alice@example.com", result.AuthenticationResponse.User.Email);
        var headers = result.Headers!["Set-Cookie"];
        Assert.Equal(2, headers.Count);
        var session = SetCookie.Parse(headers[0]!);
        var verifier = SetCookie.Parse(headers[1]!);
        Assert.Equal(("wos-session", result.SealedSession), (session.Name, session.Value));
        Assert.Equal((start.CookieName, 0), (verifier.Name, verifier.MaxAge!.Value));
        _h.Browser.Apply(result.Headers);
        Assert.False(_h.Browser.Jar.ContainsKey(start.CookieName));
        Assert.True((await Service.WithAuthAsync(_h.Browser.NewRequest())).Auth.IsAuthenticated);
        var exchange = Assert.Single(_h.WorkOS.Requests, r => r.GrantType == "authorization_code");
        Assert.Equal(code, exchange.Body!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_storage_that_writes_to_the_response_gets_both_cookies_there()
    {
        using var h = new ServiceHarness(writeToResponse: true);
        var start = await h.Service.CreateSignInAsync(new TestResponse());
        h.Browser.Apply(start.Response!.SetCookies);
        var (code, state) = SignInAtWorkOS(start.Url, h.WorkOS);
        var response = new TestResponse();

        var result = await h.Service.HandleCallbackAsync(h.Browser.NewRequest(), response, code, state);

        Assert.Same(response, result.Response);
        Assert.Null(result.Headers);
        Assert.Equal(["wos-session", start.CookieName], response.SetCookies.Select(c => SetCookie.Parse(c).Name));
    }

    [Theory]
    [InlineData("//evil.example/phish", "/phish")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("javascript:alert(1)", "/alert(1)")]
    [InlineData("/é", "/%C3%A9")]
    public async Task Hostile_return_paths_come_back_as_paths_on_this_origin_as_the_npm_package_returns_them(string hostile, string expected)
    {
        var start = await Service.CreateSignInAsync(null, new AuthorizationOptions { ReturnPathname = hostile });
        _h.Browser.Apply(start.Headers);
        var (code, state) = SignInAtWorkOS(start.Url);

        var result = await Service.HandleCallbackAsync(_h.Browser.NewRequest(), null, code, state);

        Assert.Equal(expected, result.ReturnPathname);
    }

    [Fact]
    public async Task A_callback_without_state_is_a_mismatch_and_writes_nothing()
    {
        var response = new TestResponse();
        using var h = new ServiceHarness(writeToResponse: true);

        await Assert.ThrowsAsync<OAuthStateMismatchException>(() => h.Service.HandleCallbackAsync(new TestRequest(), response, "code", null));

        Assert.Empty(response.SetCookies);
        Assert.Equal(0, h.WorkOS.CodeRequests);
    }

    [Fact]
    public async Task A_callback_without_the_verifier_cookie_fails_and_clears_it_scheme_agnostically()
    {
        using var h = new ServiceHarness(writeToResponse: true);
        var start = await h.Service.CreateSignInAsync(null);
        var (code, state) = SignInAtWorkOS(start.Url, h.WorkOS);
        var response = new TestResponse();

        await Assert.ThrowsAsync<PkceCookieMissingException>(() => h.Service.HandleCallbackAsync(new TestRequest(), response, code, state));

        var cleared = SetCookie.Parse(Assert.Single(response.SetCookies));
        Assert.Equal((start.CookieName, 0, false), (cleared.Name, cleared.MaxAge!.Value, cleared.Secure));
        Assert.Equal(0, h.WorkOS.CodeRequests);
    }

    [Fact]
    public async Task A_state_that_differs_from_the_cookie_is_a_mismatch()
    {
        using var h = new ServiceHarness(writeToResponse: true);
        var first = await h.Service.CreateSignInAsync(null);
        var second = await h.Service.CreateSignInAsync(null);
        var (code, state) = SignInAtWorkOS(first.Url, h.WorkOS);
        var request = new TestRequest();
        request.Cookies[first.CookieName] = HttpUtility.ParseQueryString(second.Url.Query)["state"]!; // another flow's state under this name
        var response = new TestResponse();

        await Assert.ThrowsAsync<OAuthStateMismatchException>(() => h.Service.HandleCallbackAsync(request, response, code, state));

        Assert.Equal(first.CookieName, SetCookie.Parse(Assert.Single(response.SetCookies)).Name);
        Assert.Equal(0, h.WorkOS.CodeRequests);
    }

    [Fact]
    public async Task An_expired_state_is_rejected_and_cleared()
    {
        using var h = new ServiceHarness(writeToResponse: true);
        var start = await h.Service.CreateSignInAsync(new TestResponse());
        h.Browser.Apply(start.Response!.SetCookies);
        var (code, state) = SignInAtWorkOS(start.Url, h.WorkOS);
        h.Time.Advance(TimeSpan.FromSeconds(601));
        var response = new TestResponse();

        await Assert.ThrowsAnyAsync<AuthKitException>(() => h.Service.HandleCallbackAsync(h.Browser.NewRequest(), response, code, state));

        Assert.Equal(start.CookieName, SetCookie.Parse(Assert.Single(response.SetCookies)).Name);
        Assert.Equal(0, h.WorkOS.CodeRequests);
    }

    [Fact]
    public async Task A_tampered_state_is_rejected_even_when_the_cookie_matches_it()
    {
        using var h = new ServiceHarness(writeToResponse: true);
        var start = await h.Service.CreateSignInAsync(null);
        var (code, state) = SignInAtWorkOS(start.Url, h.WorkOS);
        var forged = Tamper.Middle(state);
        var request = new TestRequest();
        request.Cookies[PkceCookies.GetCookieName(forged)] = forged;
        var response = new TestResponse();

        await Assert.ThrowsAnyAsync<AuthKitException>(() => h.Service.HandleCallbackAsync(request, response, code, forged));

        Assert.Equal(PkceCookies.GetCookieName(forged), SetCookie.Parse(Assert.Single(response.SetCookies)).Name);
        Assert.Equal(0, h.WorkOS.CodeRequests);
    }

    [Fact]
    public async Task A_failed_code_exchange_clears_the_verifier_and_saves_no_session()
    {
        using var h = new ServiceHarness(writeToResponse: true);
        var start = await h.Service.CreateSignInAsync(new TestResponse());
        h.Browser.Apply(start.Response!.SetCookies);
        var (_, state) = SignInAtWorkOS(start.Url, h.WorkOS);
        var response = new TestResponse();

        var error = await Assert.ThrowsAsync<WorkOSOAuthException>(() => h.Service.HandleCallbackAsync(h.Browser.NewRequest(), response, "code_wrong", state));

        Assert.True(error.IsInvalidGrant);
        var cleared = SetCookie.Parse(Assert.Single(response.SetCookies));
        Assert.Equal((start.CookieName, 0, true), (cleared.Name, cleared.MaxAge!.Value, cleared.Secure));
    }

    [Fact]
    public async Task A_callback_without_a_code_clears_the_verifier_and_calls_nothing()
    {
        using var h = new ServiceHarness(writeToResponse: true);
        var start = await h.Service.CreateSignInAsync(new TestResponse());
        h.Browser.Apply(start.Response!.SetCookies);
        var (_, state) = SignInAtWorkOS(start.Url, h.WorkOS);
        var response = new TestResponse();

        await Assert.ThrowsAsync<AuthKitException>(() => h.Service.HandleCallbackAsync(h.Browser.NewRequest(), response, null, state));

        Assert.Single(response.SetCookies);
        Assert.Equal(0, h.WorkOS.CodeRequests);
    }

    [Fact]
    public async Task A_code_exchange_needing_organization_selection_surfaces_the_pending_token()
    {
        using var h = new ServiceHarness(writeToResponse: true);
        var start = await h.Service.CreateSignInAsync(new TestResponse());
        h.Browser.Apply(start.Response!.SetCookies);
        var (code, state) = SignInAtWorkOS(start.Url, h.WorkOS);
        h.WorkOS.EnqueueResponse(HttpStatusCode.Forbidden, """{"code":"organization_selection_required","message":"pick","pending_authentication_token":"pat_1","organizations":[{"id":"org_acme","name":"Acme"}]}""");
        var response = new TestResponse();

        var error = await Assert.ThrowsAsync<SignInStepRequiredException>(() => h.Service.HandleCallbackAsync(h.Browser.NewRequest(), response, code, state));

        Assert.Equal("pat_1", error.Pending.Token);
        Assert.Equal(PendingAuthenticationKind.OrganizationSelection, error.Pending.Kind);
        Assert.Equal("/", error.ReturnPathname);
        Assert.IsType<WorkOSAuthenticationRequiredException>(error.InnerException);
        Assert.DoesNotContain("pat_1", error.Message);
        Assert.Single(response.SetCookies);
    }

    [Fact]
    public async Task Completing_an_organization_selection_saves_the_session_and_hands_back_the_return_path_and_state()
    {
        using var h = new ServiceHarness(writeToResponse: true);
        var response = new TestResponse();

        var result = await h.Service.CompleteOrganizationSelectionAsync(response, "pending_user_alice", "org_globex", "//evil.example/orders", "my-state");

        Assert.True(result.Auth.IsAuthenticated);
        Assert.Equal("user_alice", result.Auth.User!.Id);
        Assert.Equal("org_globex", result.AuthenticationResponse.OrganizationId);
        Assert.Equal("/orders", result.ReturnPathname);
        Assert.Equal("my-state", result.State);
        Assert.Equal(["wos-session"], response.SetCookies.Select(c => SetCookie.Parse(c).Name));
    }

    [Fact]
    public async Task A_refused_step_grant_saves_nothing()
    {
        using var h = new ServiceHarness(writeToResponse: true);
        var response = new TestResponse();

        var error = await Assert.ThrowsAsync<WorkOSApiException>(() => h.Service.CompleteOrganizationSelectionAsync(response, "bogus", "org_globex"));

        Assert.Equal("invalid_pending_authentication_token", error.ErrorCode);
        Assert.Empty(response.SetCookies);
    }

    [Fact]
    public async Task Clearing_a_pending_verifier_by_state_or_name_writes_an_expired_cookie()
    {
        var byState = await Service.ClearPendingVerifierAsync(null, "some-state", "http://localhost:5000/callback");
        var byName = await Service.ClearPendingVerifierByNameAsync(null, "wos-auth-verifier-deadbeef");

        var stateCookie = SetCookie.Parse(byState.Headers!["Set-Cookie"].Single()!);
        Assert.Equal((PkceCookies.GetCookieName("some-state"), 0, false), (stateCookie.Name, stateCookie.MaxAge!.Value, stateCookie.Secure));
        Assert.Equal("wos-auth-verifier-deadbeef", SetCookie.Parse(byName.Headers!["Set-Cookie"].Single()!).Name);
    }

    [Theory]
    [InlineData("wos-session")]
    [InlineData("wos-auth-verifierX")]
    [InlineData("theme")]
    [InlineData("")]
    public async Task Clearing_by_name_refuses_cookies_that_are_not_verifiers(string name)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Service.ClearPendingVerifierByNameAsync(null, name).AsTask());
    }

    [Fact]
    public async Task A_stand_alone_service_reads_its_configuration_only_on_first_use()
    {
        using var workos = new FakeWorkOS();
        AuthKitOptions? configured = null;
        var factoryCalls = 0;
        var service = AuthService<TestRequest, TestResponse>.Create(
            () => { factoryCalls++; return configured ?? throw new InvalidOperationException("not configured yet"); },
            options => new TestCookieStorage(options, writeToResponse: false),
            workos,
            workos.Time);
        Assert.Equal(0, factoryCalls);

        configured = TestOptions.Create(o => o.RedirectUri = "https://late.example.test/callback");
        var result = await service.CreateSignInAsync(null);

        Assert.Equal(1, factoryCalls);
        Assert.Equal("https://late.example.test/callback", HttpUtility.ParseQueryString(result.Url.Query)["redirect_uri"]);
        Assert.False((await service.WithAuthAsync(new TestRequest())).Auth.IsAuthenticated);
    }

    /// <summary>Plays the hosted sign-in page: reads the challenge and state from the URL and issues a code for alice.</summary>
    private (string Code, string State) SignInAtWorkOS(Uri authorizationUrl, FakeWorkOS? workos = null)
    {
        var query = HttpUtility.ParseQueryString(authorizationUrl.Query);
        var code = (workos ?? _h.WorkOS).IssueCode("user_alice", query["code_challenge"]!);
        return (code, query["state"]!);
    }
}
