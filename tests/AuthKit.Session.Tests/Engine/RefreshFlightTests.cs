using System.Net;
using AuthKit.Session.Tests.Fakes;

namespace AuthKit.Session.Tests.Engine;

/// <summary>The one refresh flight, driven through the engine as AuthService drives it: organizations, sharing, the grace period, 429s, failures.</summary>
public sealed class RefreshFlightTests : IDisposable
{
    private readonly CoreHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task A_valid_token_is_returned_as_is_without_calling_workos()
    {
        var session = _h.NewSession("org_acme");

        var result = await _h.Engine.ValidateAndRefreshAsync(session);

        Assert.False(result.Refreshed);
        Assert.Same(session, result.Session);
        Assert.Equal("org_acme", result.Auth.OrganizationId);
        Assert.Equal(0, _h.WorkOS.RefreshRequests);
    }

    [Fact]
    public async Task An_expired_token_is_refreshed_in_the_same_organization()
    {
        var session = _h.NewSession("org_globex", TimeSpan.FromMinutes(1));
        _h.Time.Advance(TimeSpan.FromMinutes(2));

        var result = await _h.Engine.ValidateAndRefreshAsync(session);

        Assert.True(result.Refreshed);
        Assert.NotEqual(session.RefreshToken, result.Session.RefreshToken);
        Assert.NotEqual(session.AccessToken, result.Session.AccessToken);
        Assert.Equal("org_globex", result.Auth.OrganizationId);
        Assert.Equal("user_alice", result.Session.User.Id);
        var request = Assert.Single(_h.WorkOS.Requests, r => r.GrantType == "refresh_token");
        Assert.Equal("org_globex", request.Body!["organization_id"]!.GetValue<string>());
        Assert.True(await _h.Core.VerifyTokenAsync(result.Session.AccessToken));
    }

    [Fact]
    public async Task A_forced_refresh_keeps_the_current_organization()
    {
        var session = _h.NewSession("org_acme");

        var result = await _h.Engine.RefreshAsync(session);

        Assert.True(result.Refreshed);
        Assert.Equal("org_acme", result.Auth.OrganizationId);
        Assert.Equal(1, _h.WorkOS.RefreshRequests);
    }

    [Fact]
    public async Task An_explicit_organization_wins_over_the_tokens_organization()
    {
        var session = _h.NewSession("org_acme");

        var result = await _h.Engine.RefreshAsync(session, "org_globex");

        Assert.Equal("org_globex", result.Auth.OrganizationId);
        Assert.Equal("org_globex", result.Auth.OrganizationId);
    }

    [Fact]
    public async Task A_token_signed_by_an_unknown_key_is_treated_as_invalid_and_refreshed()
    {
        using var stranger = new FakeSigningKey("key_stranger");
        var session = _h.NewSession();
        session.AccessToken = _h.WorkOS.MintAccessToken("user_alice", "session_x", key: stranger);

        var result = await _h.Engine.ValidateAndRefreshAsync(session);

        Assert.True(result.Refreshed);
    }

    [Fact]
    public async Task Fifty_concurrent_callers_with_the_same_expired_session_share_exactly_one_refresh()
    {
        var session = _h.NewSession("org_acme", TimeSpan.FromMinutes(1));
        _h.Time.Advance(TimeSpan.FromMinutes(2));
        await _h.Core.VerifyTokenAsync(session.AccessToken); // load the keys first so only refreshes are in play
        _h.WorkOS.AuthenticateGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var callers = Enumerable.Range(0, 50)
            .Select(_ => Task.Run(() => _h.Engine.ValidateAndRefreshAsync(CopyOf(session))))
            .ToArray();
        Assert.True(await _h.WorkOS.AuthenticateArrived.WaitAsync(TimeSpan.FromSeconds(10)));
        _h.WorkOS.AuthenticateGate.SetResult();
        var results = await Task.WhenAll(callers);

        Assert.Equal(1, _h.WorkOS.RefreshRequests);
        var first = results[0].Session;
        Assert.All(results, r =>
        {
            Assert.True(r.Refreshed);
            Assert.Same(first, r.Session);
        });
    }

    [Fact]
    public async Task Refreshes_for_different_organizations_are_separate_flights()
    {
        var session = _h.NewSession("org_acme");
        _h.WorkOS.AuthenticateGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var toAcme = _h.Engine.RefreshAsync(session, "org_acme");
        var toGlobex = _h.Engine.RefreshAsync(session, "org_globex");
        _h.WorkOS.AuthenticateGate.SetResult();

        var outcomes = await Task.WhenAll(Outcome(toAcme), Outcome(toGlobex));

        // Two flights, each sending the same token with its own organization. The token is single use: the loser either
        // fails for good, or (when the winner's successor is already in the relay) continues from that successor.
        var requested = _h.WorkOS.Requests.Where(r => r.GrantType == "refresh_token" && r.Body?["refresh_token"]?.GetValue<string>() == session.RefreshToken)
            .Select(r => r.Body?["organization_id"]?.GetValue<string>() ?? "(none)").Order().ToArray();
        Assert.Equal(["org_acme", "org_globex"], requested);
        Assert.Contains(outcomes, o => o is Validated);
        Assert.All(outcomes.OfType<TokenRefreshException>(), e => Assert.True(e.IsFinal));
        Assert.All(outcomes.OfType<Validated>(), r => Assert.Contains(r.Auth.OrganizationId, new[] { "org_acme", "org_globex" }));
    }

    [Fact]
    public async Task A_late_caller_with_the_used_refresh_token_gets_the_same_successor_within_the_grace_period()
    {
        var session = _h.NewSession(lifetime: TimeSpan.FromMinutes(1));
        _h.Time.Advance(TimeSpan.FromMinutes(2));
        var first = await _h.Engine.ValidateAndRefreshAsync(session);

        _h.Time.Advance(TimeSpan.FromSeconds(20));
        var late = await _h.Engine.ValidateAndRefreshAsync(CopyOf(session));

        Assert.Equal(first.Session.RefreshToken, late.Session.RefreshToken); // the same successor (picked up, not spent again)
        Assert.Equal(first.Session.AccessToken, late.Session.AccessToken);
        Assert.Equal(1, _h.WorkOS.RefreshRequests);
    }

    [Fact]
    public async Task Finished_refreshes_are_forgotten_after_the_grace_period_and_later_callers_get_the_successor_from_the_relay()
    {
        var session = _h.NewSession(lifetime: TimeSpan.FromMinutes(1));
        _h.Time.Advance(TimeSpan.FromMinutes(2));
        var first = await _h.Engine.ValidateAndRefreshAsync(session);
        Assert.Equal(1, _h.Core.PendingRefreshCount);

        _h.Time.Advance(_h.CoreOptions.RefreshResultGracePeriod);
        Assert.Equal(0, _h.Core.PendingRefreshCount);

        // The spent token is not sent to WorkOS again (it would be rejected): the flight reads the relay first.
        var late = await _h.Engine.ValidateAndRefreshAsync(CopyOf(session));
        Assert.Equal(first.Session.RefreshToken, late.Session.RefreshToken);
        Assert.Equal(1, _h.WorkOS.RefreshRequests);
    }

    [Fact]
    public async Task A_refresh_token_spent_outside_this_engine_is_rejected_as_final()
    {
        var session = _h.NewSession(lifetime: TimeSpan.FromMinutes(1));
        _h.Time.Advance(TimeSpan.FromMinutes(2));
        _h.WorkOS.RevokeAllRefreshTokens();

        var error = await Assert.ThrowsAsync<TokenRefreshException>(() => _h.Engine.ValidateAndRefreshAsync(session));

        Assert.True(error.IsFinal);
        Assert.Equal(1, _h.WorkOS.RefreshRequests);
    }

    [Fact]
    public async Task After_a_429_the_refresh_waits_retry_after_on_the_clock_and_retries_once()
    {
        var session = _h.NewSession(lifetime: TimeSpan.FromMinutes(1));
        _h.Time.Advance(TimeSpan.FromMinutes(2));
        await _h.Core.VerifyTokenAsync(session.AccessToken);
        _h.WorkOS.EnqueueResponse(HttpStatusCode.TooManyRequests, """{"message":"Too Many Requests","code":"rate_limit_exceeded"}""",
            r => r.Headers.Add("Retry-After", "3"));

        var refresh = _h.Engine.ValidateAndRefreshAsync(session);
        await _h.Time.WaitForTimerAsync(TimeSpan.FromSeconds(3));
        _h.Time.Advance(TimeSpan.FromSeconds(2.9));
        Assert.Equal(1, _h.WorkOS.RefreshRequests);
        Assert.False(refresh.IsCompleted);
        _h.Time.Advance(TimeSpan.FromSeconds(0.1));
        var result = await refresh.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(result.Refreshed);
        Assert.Equal(2, _h.WorkOS.RefreshRequests);
    }

    [Fact]
    public async Task Two_429s_in_a_row_fail_with_a_transient_refresh_error()
    {
        var session = _h.NewSession(lifetime: TimeSpan.FromMinutes(1));
        _h.Time.Advance(TimeSpan.FromMinutes(2));
        await _h.Core.VerifyTokenAsync(session.AccessToken);
        _h.WorkOS.EnqueueResponse(HttpStatusCode.TooManyRequests, "{}", r => r.Headers.Add("Retry-After", "1"));
        _h.WorkOS.EnqueueResponse(HttpStatusCode.TooManyRequests, "{}", r => r.Headers.Add("Retry-After", "1"));

        var refresh = _h.Engine.ValidateAndRefreshAsync(session);
        await _h.Time.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        var error = await Assert.ThrowsAsync<TokenRefreshException>(() => refresh.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.False(error.IsFinal);
        Assert.IsType<WorkOSRateLimitException>(error.InnerException);
        Assert.Equal(2, _h.WorkOS.RefreshRequests);
        Assert.Equal(0, _h.Core.PendingRefreshCount); // transient failures are not shared afterwards
    }

    [Theory]
    [InlineData("60", 10)]
    [InlineData("0", 1)]
    [InlineData(null, 1)]
    public async Task The_retry_delay_is_clamped_to_one_to_ten_seconds(string? retryAfter, int expectedSeconds)
    {
        var session = _h.NewSession();
        _h.WorkOS.EnqueueResponse(HttpStatusCode.TooManyRequests, "{}", r =>
        {
            if (retryAfter is not null)
            {
                r.Headers.Add("Retry-After", retryAfter);
            }
        });

        var refresh = _h.Engine.RefreshAsync(session);
        await _h.Time.WaitForTimerAsync(TimeSpan.FromSeconds(expectedSeconds));
        _h.Time.Advance(TimeSpan.FromSeconds(expectedSeconds));

        Assert.True((await refresh.WaitAsync(TimeSpan.FromSeconds(10))).Refreshed);
    }

    [Fact]
    public async Task A_rejected_refresh_token_is_a_final_error_with_user_and_session_but_no_tokens()
    {
        var session = _h.NewSession(lifetime: TimeSpan.FromMinutes(1));
        var sessionId = AccessTokens.ParseUnverified(session.AccessToken).SessionId;
        _h.WorkOS.RevokeAllRefreshTokens();
        _h.Time.Advance(TimeSpan.FromMinutes(2));

        var error = await Assert.ThrowsAsync<TokenRefreshException>(() => _h.Engine.ValidateAndRefreshAsync(session));

        Assert.True(error.IsFinal);
        Assert.Equal("user_alice", error.UserId);
        Assert.Equal(sessionId, error.SessionId);
        var text = error.ToString();
        Assert.DoesNotContain(session.RefreshToken, text);
        Assert.DoesNotContain(session.AccessToken, text);
    }

    [Fact]
    public async Task A_server_error_is_transient_and_the_next_caller_tries_again()
    {
        var session = _h.NewSession();
        _h.WorkOS.EnqueueResponse(HttpStatusCode.ServiceUnavailable, """{"message":"down"}""");

        var error = await Assert.ThrowsAsync<TokenRefreshException>(() => _h.Engine.RefreshAsync(session));
        var retry = await _h.Engine.RefreshAsync(session);

        Assert.False(error.IsFinal);
        Assert.True(retry.Refreshed);
        Assert.Equal(2, _h.WorkOS.RefreshRequests);
    }

    [Fact]
    public async Task Cancelling_one_waiter_does_not_cancel_the_shared_refresh()
    {
        var session = _h.NewSession();
        _h.WorkOS.AuthenticateGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cts = new CancellationTokenSource();

        var cancelled = _h.Engine.RefreshAsync(session, null, cts.Token);
        var patient = _h.Engine.RefreshAsync(session);
        await cts.CancelAsync();
        _h.WorkOS.AuthenticateGate.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.True((await patient).Refreshed);
        Assert.Equal(1, _h.WorkOS.RefreshRequests);
    }

    private static async Task<object> Outcome(Task<Validated> task)
    {
        try
        {
            return await task;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    internal static Session CopyOf(Session session) => new()
    {
        AccessToken = session.AccessToken,
        RefreshToken = session.RefreshToken,
        User = session.User,
        Impersonator = session.Impersonator,
    };
}
