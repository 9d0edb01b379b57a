using System.Net;
using AuthKit.Blazor.Tests.TestSupport;
using AuthKit.Session;

namespace AuthKit.Blazor.Tests.Http;

public sealed class SessionResolverTests
{
    [Fact]
    public async Task A_valid_cookie_is_authenticated_without_a_refresh()
    {
        var h = new ResolverHarness();
        var cookie = h.NewCookie();

        var result = await h.Resolver.ResolveCookieAsync(cookie);

        Assert.Equal(SessionResolutionStatus.Authenticated, result.Status);
        Assert.True(result.Auth.IsAuthenticated);
        Assert.Equal("session_1", result.Auth.SessionId);
        Assert.Null(result.SealedSession);
        Assert.Equal(0, h.Backend.RefreshCalls);
    }

    [Fact]
    public async Task A_token_inside_the_refresh_buffer_is_refreshed_and_the_successor_is_recorded()
    {
        var h = new ResolverHarness();
        var original = h.Backend.CreateSession();
        var cookie = h.Backend.Seal(original);
        h.Time.Advance(TimeSpan.FromMinutes(4.5)); // 30 s left, buffer is 60 s

        var result = await h.Resolver.ResolveCookieAsync(cookie);

        Assert.Equal(SessionResolutionStatus.Updated, result.Status);
        Assert.True(result.CalledWorkOS);
        Assert.NotNull(result.SealedSession);
        Assert.Equal(1, h.Backend.RefreshCalls);
        var hit = await h.Relay.FindNewestAsync(original.RefreshToken);
        Assert.Equal(result.SealedSession, hit!.SealedSession);
    }

    [Fact]
    public async Task A_refresh_buffer_longer_than_the_token_is_capped_at_half_its_lifetime_so_not_every_request_refreshes()
    {
        var h = new ResolverHarness(new AuthKitBlazorOptions { RefreshBuffer = TimeSpan.FromMinutes(10) });
        h.Backend.AccessTokenLifetime = TimeSpan.FromMinutes(2);
        var cookie = h.NewCookie();

        h.Time.Advance(TimeSpan.FromSeconds(50)); // 70 s left: outside the capped window (60 s), inside the 10 min buffer
        var early = await h.Resolver.ResolveCookieAsync(cookie);
        var again = await h.Resolver.ResolveCookieAsync(cookie); // served from the verified-session cache
        h.Time.Advance(TimeSpan.FromSeconds(20)); // 50 s left: inside the capped window
        var late = await h.Resolver.ResolveCookieAsync(cookie);

        Assert.Equal(SessionResolutionStatus.Authenticated, early.Status);
        Assert.Equal(SessionResolutionStatus.Authenticated, again.Status);
        Assert.Equal(SessionResolutionStatus.Updated, late.Status);
        Assert.Equal(1, h.Backend.RefreshCalls);
    }

    [Fact]
    public async Task An_old_cookie_picks_up_the_rotated_session_from_the_relay_without_spending_its_refresh_token()
    {
        var h = new ResolverHarness();
        var cookie = h.NewCookie();
        h.Time.Advance(TimeSpan.FromMinutes(6));
        var first = await h.Resolver.ResolveCookieAsync(cookie);

        var second = await h.Resolver.ResolveCookieAsync(cookie); // the browser never stored the rotated cookie

        Assert.Equal(SessionResolutionStatus.Updated, second.Status);
        Assert.False(second.CalledWorkOS);
        Assert.Equal(first.SealedSession, second.SealedSession);
        Assert.Equal(1, h.Backend.RefreshCalls);
        Assert.Equal(0, h.Backend.RejectedRefreshCalls);
    }

    [Fact]
    public async Task An_old_cookie_follows_a_chain_of_three_rotations_to_the_newest_session()
    {
        var h = new ResolverHarness();
        var oldest = h.NewCookie();
        var current = oldest;
        for (var i = 0; i < 3; i++)
        {
            h.Time.Advance(TimeSpan.FromMinutes(6));
            current = (await h.Resolver.ResolveCookieAsync(current)).SealedSession!;
        }

        var result = await h.Resolver.ResolveCookieAsync(oldest);

        Assert.Equal(SessionResolutionStatus.Updated, result.Status);
        Assert.Equal(current, result.SealedSession);
        Assert.Equal(3, h.Backend.RefreshCalls);
        Assert.Equal(0, h.Backend.RejectedRefreshCalls);
    }

    [Fact]
    public async Task A_hundred_concurrent_requests_with_the_same_expired_cookie_make_exactly_one_refresh()
    {
        var h = new ResolverHarness();
        var cookie = h.NewCookie();
        h.Time.Advance(TimeSpan.FromMinutes(10));
        var gate = new TaskCompletionSource();
        h.Backend.OnRefresh = () => gate.Task;

        var requests = Enumerable.Range(0, 100).Select(_ => Task.Run(() => h.Resolver.ResolveCookieAsync(cookie))).ToArray();
        while (h.Backend.RefreshCalls == 0)
        {
            await Task.Yield();
        }

        gate.SetResult();
        var results = await Task.WhenAll(requests);

        Assert.Equal(1, h.Backend.RefreshCalls);
        Assert.All(results, r => Assert.True(r.Auth.IsAuthenticated));
        Assert.Single(results.Select(r => r.SealedSession).Distinct());
        Assert.Equal(1, results.Count(r => r.IsOwner && r.CalledWorkOS));
    }

    [Fact]
    public async Task A_request_arriving_after_the_refresh_finished_uses_the_relay_not_the_dead_token()
    {
        var h = new ResolverHarness();
        var cookie = h.NewCookie();
        h.Time.Advance(TimeSpan.FromMinutes(10));
        await h.Resolver.ResolveCookieAsync(cookie);
        h.Time.Advance(TimeSpan.FromSeconds(5));

        var late = await h.Resolver.ResolveCookieAsync(cookie);

        Assert.True(late.Auth.IsAuthenticated);
        Assert.Equal(1, h.Backend.RefreshCalls);
        Assert.Equal(0, h.Backend.RejectedRefreshCalls);
    }

    [Fact]
    public async Task A_transient_failure_while_the_token_is_still_valid_keeps_the_session()
    {
        var h = new ResolverHarness();
        var cookie = h.NewCookie();
        h.Time.Advance(TimeSpan.FromMinutes(4.5));
        h.Backend.RefreshFault = new WorkOSApiException("WorkOS unavailable.", HttpStatusCode.ServiceUnavailable);

        var result = await h.Resolver.ResolveCookieAsync(cookie);

        Assert.Equal(SessionResolutionStatus.Unavailable, result.Status);
        Assert.True(result.Auth.IsAuthenticated);
        Assert.True(result.AccessTokenStillValid);
        Assert.False(result.ClearCookie);
    }

    [Fact]
    public async Task A_transient_failure_after_the_token_expired_is_anonymous_but_keeps_the_cookie()
    {
        var h = new ResolverHarness();
        var cookie = h.NewCookie();
        h.Time.Advance(TimeSpan.FromMinutes(6));
        h.Backend.RefreshFault = new WorkOSRateLimitException(TimeSpan.FromSeconds(3));

        var result = await h.Resolver.ResolveCookieAsync(cookie);

        Assert.Equal(SessionResolutionStatus.Unavailable, result.Status);
        Assert.False(result.Auth.IsAuthenticated);
        Assert.False(result.ClearCookie);
        Assert.Equal(TimeSpan.FromSeconds(3), result.RetryAfter);
    }

    [Fact]
    public async Task A_rejected_refresh_token_signs_out_and_clears_the_cookie()
    {
        var h = new ResolverHarness();
        var cookie = h.NewCookie();
        h.Time.Advance(TimeSpan.FromMinutes(6));
        h.Backend.RefreshFault = new WorkOSOAuthException("invalid_grant", "Session revoked.", HttpStatusCode.BadRequest);

        var result = await h.Resolver.ResolveCookieAsync(cookie);

        Assert.Equal(SessionResolutionStatus.Rejected, result.Status);
        Assert.False(result.Auth.IsAuthenticated);
        Assert.True(result.ClearCookie);
    }

    [Fact]
    public async Task A_signed_out_session_is_ended_even_with_a_valid_token()
    {
        var h = new ResolverHarness();
        var cookie = h.NewCookie();
        await h.Relay.MarkEndedAsync("session_1");

        var result = await h.Resolver.ResolveCookieAsync(cookie);

        Assert.Equal(SessionResolutionStatus.Ended, result.Status);
        Assert.True(result.ClearCookie);
    }

    [Theory]
    [InlineData("not-a-seal")]
    [InlineData("Fe26.2**garbage~2")]
    public async Task An_unreadable_cookie_is_invalid(string cookie)
    {
        var h = new ResolverHarness();

        var result = await h.Resolver.ResolveCookieAsync(cookie);

        Assert.Equal(SessionResolutionStatus.Invalid, result.Status);
        Assert.True(result.ClearCookie);
    }

    [Fact]
    public async Task An_oversized_cookie_is_invalid_without_being_unsealed()
    {
        var h = new ResolverHarness();

        var result = await h.Resolver.ResolveCookieAsync(new string('a', SessionResolver.MaxCookieLength + 1));

        Assert.Equal(SessionResolutionStatus.Invalid, result.Status);
    }

    [Fact]
    public async Task Switching_organization_refreshes_into_it_and_records_the_successor()
    {
        var h = new ResolverHarness();
        var session = h.Backend.CreateSession(organizationId: "org_a");

        var result = await h.Resolver.SwitchOrganizationAsync(session, "org_b");

        Assert.Equal(SessionResolutionStatus.Updated, result.Status);
        Assert.Equal("org_b", result.Auth.OrganizationId);
        Assert.NotNull(await h.Relay.FindNewestAsync(session.RefreshToken));
    }

    [Fact]
    public async Task A_newer_session_in_the_relay_replaces_a_still_valid_old_one()
    {
        var h = new ResolverHarness();
        var session = h.Backend.CreateSession(organizationId: "org_a");
        var cookie = h.Backend.Seal(session);
        await h.Resolver.SwitchOrganizationAsync(session, "org_b"); // e.g. done by a circuit

        var result = await h.Resolver.ResolveCookieAsync(cookie);

        Assert.Equal(SessionResolutionStatus.Updated, result.Status);
        Assert.Equal("org_b", result.Auth.OrganizationId);
        Assert.Equal(1, h.Backend.RefreshCalls);
    }

    [Fact]
    public async Task A_cookie_seen_before_is_not_unsealed_again_while_its_token_is_fresh()
    {
        var h = new ResolverHarness();
        var cookie = h.NewCookie();
        await h.Resolver.ResolveCookieAsync(cookie);
        var unseals = h.Backend.UnsealCalls;

        var again = await h.Resolver.ResolveCookieAsync(cookie);

        Assert.True(again.Auth.IsAuthenticated);
        Assert.Equal(unseals, h.Backend.UnsealCalls);
    }

    [Fact]
    public async Task A_cached_cookie_still_sees_sign_out_and_rotation()
    {
        var h = new ResolverHarness();
        var session = h.Backend.CreateSession(organizationId: "org_a");
        var cookie = h.Backend.Seal(session);
        await h.Resolver.ResolveCookieAsync(cookie);

        await h.Resolver.SwitchOrganizationAsync(session, "org_b");
        var rotated = await h.Resolver.ResolveCookieAsync(cookie);
        await h.Relay.MarkEndedAsync("session_1");
        var ended = await h.Resolver.ResolveCookieAsync(rotated.SealedSession!);

        Assert.Equal("org_b", rotated.Auth.OrganizationId);
        Assert.Equal(SessionResolutionStatus.Ended, ended.Status);
    }

    [Fact]
    public async Task A_cached_cookie_is_refreshed_once_it_enters_the_refresh_buffer()
    {
        var h = new ResolverHarness();
        var cookie = h.NewCookie();
        await h.Resolver.ResolveCookieAsync(cookie);
        h.Time.Advance(TimeSpan.FromMinutes(4.5));

        var result = await h.Resolver.ResolveCookieAsync(cookie);

        Assert.Equal(SessionResolutionStatus.Updated, result.Status);
        Assert.Equal(1, h.Backend.RefreshCalls);
    }

    [Fact]
    public async Task A_cookie_cached_by_the_core_is_served_without_unsealing_and_still_sees_sign_out()
    {
        var h = new ResolverHarness();
        var session = h.Backend.CreateSession();
        var cookie = h.Backend.Seal(session);
        h.Backend.VerifiedSessions.Set(cookie, AuthResult.FromSession(session, h.Backend.TryReadClaims(session.AccessToken)!));

        var served = await h.Resolver.ResolveCookieAsync(cookie);
        var unsealsWhileCached = h.Backend.UnsealCalls;
        await h.Relay.MarkEndedAsync("session_1");
        var ended = await h.Resolver.ResolveCookieAsync(cookie);

        Assert.Equal(SessionResolutionStatus.Authenticated, served.Status);
        Assert.Equal(0, unsealsWhileCached);
        Assert.Equal(SessionResolutionStatus.Ended, ended.Status);
        Assert.Equal(0, h.Backend.VerifiedSessions.Count);
    }

    [Fact]
    public async Task Cookies_the_resolver_verifies_go_into_the_backends_bounded_cache()
    {
        var h = new ResolverHarness(new AuthKitBlazorOptions { VerifiedSessionCacheSize = 3 });
        var cookies = Enumerable.Range(0, 10).Select(i => h.Backend.Seal(h.Backend.CreateSession(sessionId: "session_" + i))).ToList();

        foreach (var cookie in cookies)
        {
            await h.Resolver.ResolveCookieAsync(cookie);
        }

        Assert.InRange(h.Backend.VerifiedSessions.Count, 1, 3);
        Assert.True(h.Backend.VerifiedSessions.TryGet(cookies[^1], h.Time.GetUtcNow(), out var newest));
        Assert.Equal("session_9", newest.Auth.SessionId);
    }

    [Fact]
    public async Task Ending_a_session_through_the_resolver_evicts_its_cached_cookies()
    {
        var h = new ResolverHarness();
        var cookie = h.NewCookie();
        await h.Resolver.ResolveCookieAsync(cookie);

        await h.Resolver.EndSessionAsync("session_1");

        Assert.Equal(0, h.Backend.VerifiedSessions.Count);
        Assert.Equal(SessionResolutionStatus.Ended, (await h.Resolver.ResolveCookieAsync(cookie)).Status);
    }
}
