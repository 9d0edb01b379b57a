using AuthKit.Session.Tests.Fakes;
using System.Net;

namespace AuthKit.Session.Tests.Engine;

/// <summary>The engine's pipeline end to end: real sealing, real JWKS verification, the real refresh flight, a fake WorkOS.</summary>
public sealed class SessionResolverTests : IDisposable
{
    private readonly EngineHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task A_valid_cookie_is_authenticated_without_a_refresh()
    {
        var session = _h.NewSession();

        var result = await _h.Resolver.ResolveCookieAsync(_h.Seal(session));

        Assert.Equal(SessionResolutionStatus.Authenticated, result.Status);
        Assert.True(result.Auth.IsAuthenticated);
        Assert.Equal(EngineHarness.SessionIdOf(session), result.Auth.SessionId);
        Assert.Null(result.SealedSession);
        Assert.Equal(0, _h.WorkOS.RefreshRequests);
    }

    [Fact]
    public async Task A_token_inside_the_refresh_buffer_is_refreshed_and_the_successor_is_recorded()
    {
        var original = _h.NewSession();
        var cookie = _h.Seal(original);
        _h.Time.Advance(TimeSpan.FromMinutes(4.5)); // 30 s left, buffer is 60 s

        var result = await _h.Resolver.ResolveCookieAsync(cookie);

        Assert.Equal(SessionResolutionStatus.Updated, result.Status);
        Assert.True(result.CalledWorkOS);
        Assert.NotNull(result.SealedSession);
        Assert.Equal(1, _h.WorkOS.RefreshRequests);
        var hit = await _h.Relay.FindNewestAsync(original.RefreshToken);
        Assert.Equal(result.SealedSession, hit!.SealedSession);
    }

    [Fact]
    public async Task A_refresh_buffer_longer_than_the_token_is_capped_at_half_its_lifetime_so_not_every_request_refreshes()
    {
        using var h = new EngineHarness(new SessionEngineOptions { RefreshBuffer = TimeSpan.FromMinutes(10) });
        var cookie = h.NewCookie(lifetime: TimeSpan.FromMinutes(2));

        h.Time.Advance(TimeSpan.FromSeconds(50)); // 70 s left: outside the capped window (60 s), inside the 10 min buffer
        var early = await h.Resolver.ResolveCookieAsync(cookie);
        var again = await h.Resolver.ResolveCookieAsync(cookie); // served from the verified-session cache
        h.Time.Advance(TimeSpan.FromSeconds(20)); // 50 s left: inside the capped window
        var late = await h.Resolver.ResolveCookieAsync(cookie);

        Assert.Equal(SessionResolutionStatus.Authenticated, early.Status);
        Assert.Equal(SessionResolutionStatus.Authenticated, again.Status);
        Assert.Equal(SessionResolutionStatus.Updated, late.Status);
        Assert.Equal(1, h.WorkOS.RefreshRequests);
    }

    [Fact]
    public async Task An_old_cookie_picks_up_the_rotated_session_from_the_relay_without_spending_its_refresh_token()
    {
        var cookie = _h.NewCookie();
        _h.Time.Advance(TimeSpan.FromMinutes(6));
        var first = await _h.Resolver.ResolveCookieAsync(cookie);
        _h.Time.Advance(TimeSpan.FromMinutes(1)); // past the core's grace period for shared refresh results

        var second = await _h.Resolver.ResolveCookieAsync(cookie); // the browser never stored the rotated cookie

        Assert.Equal(SessionResolutionStatus.Updated, second.Status);
        Assert.False(second.CalledWorkOS);
        Assert.Equal(first.SealedSession, second.SealedSession);
        Assert.Equal(1, _h.WorkOS.RefreshRequests); // a second WorkOS call would also have been rejected (single use)
    }

    [Fact]
    public async Task An_old_cookie_follows_a_chain_of_three_rotations_to_the_newest_session()
    {
        var oldest = _h.NewCookie();
        var current = oldest;
        for (var i = 0; i < 3; i++)
        {
            _h.Time.Advance(TimeSpan.FromMinutes(6));
            current = (await _h.Resolver.ResolveCookieAsync(current)).SealedSession!;
        }

        var result = await _h.Resolver.ResolveCookieAsync(oldest);

        Assert.Equal(SessionResolutionStatus.Updated, result.Status);
        Assert.Equal(current, result.SealedSession);
        Assert.Equal(3, _h.WorkOS.RefreshRequests);
    }

    [Fact]
    public async Task A_hundred_concurrent_requests_with_the_same_expired_cookie_make_exactly_one_refresh()
    {
        var cookie = _h.NewCookie();
        _h.Time.Advance(TimeSpan.FromMinutes(10));
        _h.WorkOS.AuthenticateGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var requests = Enumerable.Range(0, 100).Select(_ => Task.Run(() => _h.Resolver.ResolveCookieAsync(cookie).AsTask())).ToArray();
        Assert.True(await _h.WorkOS.AuthenticateArrived.WaitAsync(TimeSpan.FromSeconds(10)));
        _h.WorkOS.AuthenticateGate.SetResult();
        var results = await Task.WhenAll(requests);

        Assert.Equal(1, _h.WorkOS.RefreshRequests);
        Assert.All(results, r => Assert.True(r.Auth.IsAuthenticated));
        Assert.Single(results.Select(r => r.SealedSession).Distinct());
        Assert.Equal(1, results.Count(r => r.IsOwner && r.CalledWorkOS));
    }

    [Fact]
    public async Task A_request_arriving_after_the_refresh_finished_uses_the_relay_not_the_dead_token()
    {
        var cookie = _h.NewCookie();
        _h.Time.Advance(TimeSpan.FromMinutes(10));
        await _h.Resolver.ResolveCookieAsync(cookie);
        _h.Time.Advance(TimeSpan.FromSeconds(5));

        var late = await _h.Resolver.ResolveCookieAsync(cookie);

        Assert.True(late.Auth.IsAuthenticated);
        Assert.Equal(1, _h.WorkOS.RefreshRequests);
    }

    [Fact]
    public async Task A_transient_failure_while_the_token_is_still_valid_keeps_the_session()
    {
        var cookie = _h.NewCookie();
        _h.Time.Advance(TimeSpan.FromMinutes(4.5));
        _h.WorkOS.EnqueueResponse(HttpStatusCode.ServiceUnavailable, """{"message":"WorkOS unavailable."}""");

        var result = await _h.Resolver.ResolveCookieAsync(cookie);

        Assert.Equal(SessionResolutionStatus.Unavailable, result.Status);
        Assert.True(result.Auth.IsAuthenticated);
        Assert.True(result.AccessTokenStillValid);
        Assert.False(result.ClearCookie);
    }

    [Fact]
    public async Task A_transient_failure_after_the_token_expired_is_anonymous_but_keeps_the_cookie_and_carries_the_retry_delay()
    {
        var cookie = _h.NewCookie();
        _h.Time.Advance(TimeSpan.FromMinutes(6));
        _h.WorkOS.EnqueueResponse((HttpStatusCode)429, """{"message":"slow down"}""", r => r.Headers.Add("Retry-After", "3"));
        _h.WorkOS.EnqueueResponse((HttpStatusCode)429, """{"message":"slow down"}""", r => r.Headers.Add("Retry-After", "3"));

        var resolving = _h.Resolver.ResolveCookieAsync(cookie).AsTask();
        await _h.Time.WaitForTimerAsync(TimeSpan.FromSeconds(3)); // the one 429 retry
        _h.Time.Advance(TimeSpan.FromSeconds(3));
        var result = await resolving;

        Assert.Equal(SessionResolutionStatus.Unavailable, result.Status);
        Assert.False(result.Auth.IsAuthenticated);
        Assert.False(result.ClearCookie);
        Assert.Equal(TimeSpan.FromSeconds(3), result.RetryAfter);
        Assert.Equal(2, _h.WorkOS.RefreshRequests);
    }

    [Fact]
    public async Task A_rejected_refresh_token_signs_out_and_clears_the_cookie()
    {
        var cookie = _h.NewCookie();
        _h.Time.Advance(TimeSpan.FromMinutes(6));
        _h.WorkOS.RevokeAllRefreshTokens();

        var result = await _h.Resolver.ResolveCookieAsync(cookie);

        Assert.Equal(SessionResolutionStatus.Rejected, result.Status);
        Assert.False(result.Auth.IsAuthenticated);
        Assert.True(result.ClearCookie);
    }

    [Fact]
    public async Task A_signed_out_session_is_ended_even_with_a_valid_token()
    {
        var session = _h.NewSession();
        await _h.Relay.MarkEndedAsync(EngineHarness.SessionIdOf(session));

        var result = await _h.Resolver.ResolveCookieAsync(_h.Seal(session));

        Assert.Equal(SessionResolutionStatus.Ended, result.Status);
        Assert.True(result.ClearCookie);
    }

    [Theory]
    [InlineData("not-a-seal")]
    [InlineData("Fe26.2**garbage~2")]
    public async Task An_unreadable_cookie_is_invalid(string cookie)
    {
        var result = await _h.Resolver.ResolveCookieAsync(cookie);

        Assert.Equal(SessionResolutionStatus.Invalid, result.Status);
        Assert.True(result.ClearCookie);
    }

    [Fact]
    public async Task An_oversized_cookie_is_invalid_without_being_unsealed()
    {
        var result = await _h.Resolver.ResolveCookieAsync(new string('a', SessionResolver.MaxCookieLength + 1));

        Assert.Equal(SessionResolutionStatus.Invalid, result.Status);
        Assert.Equal(0, _h.Core.Encryption.UnsealSessionCalls);
    }

    [Fact]
    public async Task Switching_organization_refreshes_into_it_and_records_the_successor()
    {
        var session = _h.NewSession(organizationId: "org_acme");

        var result = await _h.Resolver.SwitchOrganizationAsync(session, "org_globex");

        Assert.Equal(SessionResolutionStatus.Updated, result.Status);
        Assert.Equal("org_globex", result.Auth.OrganizationId);
        Assert.NotNull(await _h.Relay.FindNewestAsync(session.RefreshToken));
    }

    [Fact]
    public async Task A_newer_session_in_the_relay_replaces_a_still_valid_old_one()
    {
        var session = _h.NewSession(organizationId: "org_acme");
        var cookie = _h.Seal(session);
        await _h.Resolver.SwitchOrganizationAsync(session, "org_globex"); // e.g. done by a circuit

        var result = await _h.Resolver.ResolveCookieAsync(cookie);

        Assert.Equal(SessionResolutionStatus.Updated, result.Status);
        Assert.Equal("org_globex", result.Auth.OrganizationId);
        Assert.Equal(1, _h.WorkOS.RefreshRequests);
    }

    [Fact]
    public async Task A_cookie_seen_before_is_not_unsealed_again_while_its_token_is_fresh()
    {
        var cookie = _h.NewCookie();
        await _h.Resolver.ResolveCookieAsync(cookie);
        var unseals = _h.Core.Encryption.UnsealSessionCalls;

        var again = await _h.Resolver.ResolveCookieAsync(cookie);

        Assert.True(again.Auth.IsAuthenticated);
        Assert.Equal(unseals, _h.Core.Encryption.UnsealSessionCalls);
    }

    [Fact]
    public async Task A_cached_cookie_still_sees_sign_out_and_rotation()
    {
        var session = _h.NewSession(organizationId: "org_acme");
        var cookie = _h.Seal(session);
        await _h.Resolver.ResolveCookieAsync(cookie);

        await _h.Resolver.SwitchOrganizationAsync(session, "org_globex");
        var rotated = await _h.Resolver.ResolveCookieAsync(cookie);
        await _h.Relay.MarkEndedAsync(EngineHarness.SessionIdOf(session));
        var ended = await _h.Resolver.ResolveCookieAsync(rotated.SealedSession!);

        Assert.Equal("org_globex", rotated.Auth.OrganizationId);
        Assert.Equal(SessionResolutionStatus.Ended, ended.Status);
    }

    [Fact]
    public async Task A_cached_cookie_is_refreshed_once_it_enters_the_refresh_buffer()
    {
        var cookie = _h.NewCookie();
        await _h.Resolver.ResolveCookieAsync(cookie);
        _h.Time.Advance(TimeSpan.FromMinutes(4.5));

        var result = await _h.Resolver.ResolveCookieAsync(cookie);

        Assert.Equal(SessionResolutionStatus.Updated, result.Status);
        Assert.Equal(1, _h.WorkOS.RefreshRequests);
    }

    [Fact]
    public async Task A_cookie_cached_by_the_core_is_served_without_unsealing_and_still_sees_sign_out()
    {
        var session = _h.NewSession();
        var cookie = _h.Seal(session);
        var validated = await _h.Resolver.ResolveCookieAsync(cookie, TimeSpan.Zero, default); // AuthService's (npm-style) call caches it
        var unsealsBefore = _h.Core.Encryption.UnsealSessionCalls;

        var served = await _h.Resolver.ResolveCookieAsync(cookie);
        var unsealsWhileCached = _h.Core.Encryption.UnsealSessionCalls - unsealsBefore;
        await _h.Relay.MarkEndedAsync(EngineHarness.SessionIdOf(session));
        var ended = await _h.Resolver.ResolveCookieAsync(cookie);

        Assert.True(validated.Auth.IsAuthenticated);
        Assert.Equal(SessionResolutionStatus.Authenticated, served.Status);
        Assert.Equal(0, unsealsWhileCached);
        Assert.Equal(SessionResolutionStatus.Ended, ended.Status);
        Assert.Equal(0, _h.EngineCore.Cache.Count);
    }

    [Fact]
    public async Task Cookies_the_resolver_verifies_go_into_the_cores_bounded_cache()
    {
        using var h = new EngineHarness(core: o => o.VerifiedSessionCacheSize = 3);
        var cookies = Enumerable.Range(0, 10).Select(_ => h.NewCookie()).ToList();

        foreach (var cookie in cookies)
        {
            await h.Resolver.ResolveCookieAsync(cookie);
        }

        Assert.InRange(h.EngineCore.Cache.Count, 1, 3);
        Assert.True(h.EngineCore.Cache.TryGet(cookies[^1], h.Time.GetUtcNow(), out var newest));
        Assert.True(newest.Auth.IsAuthenticated);
    }

    [Fact]
    public async Task Ending_a_session_through_the_resolver_evicts_its_cached_cookies()
    {
        var session = _h.NewSession();
        var cookie = _h.Seal(session);
        await _h.Resolver.ResolveCookieAsync(cookie);

        await _h.Resolver.EndSessionAsync(EngineHarness.SessionIdOf(session));

        Assert.Equal(0, _h.EngineCore.Cache.Count);
        Assert.Equal(SessionResolutionStatus.Ended, (await _h.Resolver.ResolveCookieAsync(cookie)).Status);
    }
}

/// <summary>The npm package's API runs on the same engine: its refreshes and sign-outs are the resolver's too.</summary>
public sealed class AuthServiceOnTheEngineTests : IDisposable
{
    private readonly EngineHarness _h = new();

    public void Dispose() => _h.Dispose();

    private AuthService<Fakes.TestRequest, Fakes.TestResponse> Service() => new(
        Microsoft.Extensions.Options.Options.Create(_h.Core.Options), new Fakes.TestCookieStorage(_h.Core.Options, writeToResponse: false), _h.Resolver, _h.Core.Encryption);

    [Fact]
    public async Task Signing_out_through_AuthService_ends_the_session_for_the_resolver_too()
    {
        var session = _h.NewSession();
        var cookie = _h.Seal(session);
        Assert.Equal(SessionResolutionStatus.Authenticated, (await _h.Resolver.ResolveCookieAsync(cookie)).Status);

        await Service().SignOutAsync(EngineHarness.SessionIdOf(session));

        Assert.Equal(SessionResolutionStatus.Ended, (await _h.Resolver.ResolveCookieAsync(cookie)).Status);
    }

    [Fact]
    public async Task A_refresh_through_AuthService_is_recorded_so_the_resolver_picks_up_its_successor()
    {
        var session = _h.NewSession();
        var cookie = _h.Seal(session);

        var refreshed = await Service().RefreshSessionAsync(session);
        var resolved = await _h.Resolver.ResolveCookieAsync(cookie); // a request still carrying the old cookie

        Assert.Equal(SessionResolutionStatus.Updated, resolved.Status);
        Assert.False(resolved.CalledWorkOS);
        Assert.Equal(refreshed.Session.RefreshToken, (await _h.EngineCore.Flight.Relay.FindNewestAsync(session.RefreshToken)) is { } hit
            ? _h.EngineCore.DecryptSession(hit.SealedSession).RefreshToken : null);
        Assert.Equal(1, _h.WorkOS.RefreshRequests);
    }

    [Fact]
    public async Task WithAuth_refreshes_only_an_expired_token_as_the_npm_package_while_the_engine_default_refreshes_ahead()
    {
        var session = _h.NewSession();
        var cookie = _h.Seal(session);
        _h.Time.Advance(TimeSpan.FromMinutes(4.5)); // 30 s left: inside the engine's 60 s window, not expired

        var withAuth = await Service().WithAuthAsync(RequestWith(cookie));
        Assert.True(withAuth.Auth.IsAuthenticated);
        Assert.Null(withAuth.RefreshedSessionData);
        Assert.Equal(0, _h.WorkOS.RefreshRequests);

        var resolved = await _h.Resolver.ResolveCookieAsync(cookie); // the Blazor hosts' default window
        Assert.Equal(SessionResolutionStatus.Updated, resolved.Status);
        Assert.Equal(1, _h.WorkOS.RefreshRequests);

        // The old cookie through WithAuth now picks up the engine's successor (no second refresh) and says to save it.
        var again = await Service().WithAuthAsync(RequestWith(cookie));
        Assert.Equal(resolved.SealedSession, again.RefreshedSessionData);
        Assert.Equal(1, _h.WorkOS.RefreshRequests);
    }

    [Fact]
    public async Task A_stand_alone_engine_over_a_core_resolves_and_refreshes_through_the_cores_flight()
    {
        var engine = new SessionResolver(_h.EngineCore);
        var cookie = _h.NewCookie();
        _h.Time.Advance(TimeSpan.FromMinutes(6));

        var first = await engine.ResolveCookieAsync(cookie);
        var other = await _h.Resolver.ResolveCookieAsync(cookie); // another engine over the same core shares its flight and relay

        Assert.Equal(SessionResolutionStatus.Updated, first.Status);
        Assert.Equal(SessionResolutionStatus.Updated, other.Status);
        Assert.Equal(first.SealedSession, other.SealedSession);
        Assert.Equal(1, _h.WorkOS.RefreshRequests);
        Assert.Throws<ArgumentNullException>(() => new SessionResolver(null!));
    }

    private static Fakes.TestRequest RequestWith(string cookie)
    {
        var request = new Fakes.TestRequest();
        request.Cookies["wos-session"] = cookie;
        return request;
    }
}
