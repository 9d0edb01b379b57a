using AuthKit.Session.Tests.Fakes;

namespace AuthKit.Session.Tests.Engine;

/// <summary>Concurrent resolutions of one cookie value share one run of the engine (unseal, verify, refresh, seal of the successor).</summary>
public sealed class SharedCookieResolutionTests : IDisposable
{
    private readonly CoreHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Concurrent_requests_with_the_same_expired_cookie_share_one_unseal_one_refresh_and_one_successor_cookie()
    {
        var cookie = _h.Core.EncryptSession(_h.NewSession("org_acme", TimeSpan.FromMinutes(1)));
        _h.Time.Advance(TimeSpan.FromMinutes(2));
        await _h.Core.VerifyTokenAsync(_h.NewSession().AccessToken); // load the keys first
        var unsealsBefore = _h.Encryption.UnsealSessionCalls;
        _h.WorkOS.AuthenticateGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var callers = Enumerable.Range(0, 50).Select(_ => Task.Run(() => _h.Engine.ValidateCookieAsync(cookie).AsTask())).ToArray();
        Assert.True(await _h.WorkOS.AuthenticateArrived.WaitAsync(TimeSpan.FromSeconds(10)));
        _h.WorkOS.AuthenticateGate.SetResult();
        var results = await Task.WhenAll(callers);

        Assert.Equal(1, _h.WorkOS.RefreshRequests);
        Assert.Equal(1, _h.Encryption.UnsealSessionCalls - unsealsBefore);
        Assert.All(results, r =>
        {
            Assert.True(r.Refreshed());
            Assert.Equal(results[0].SealedSession, r.SealedSession);
        });
        Assert.Equal(0, _h.Engine.PendingResolutionCount);
    }

    [Fact]
    public async Task A_caller_that_stops_waiting_does_not_cancel_the_shared_validation()
    {
        var cookie = _h.Core.EncryptSession(_h.NewSession("org_acme", TimeSpan.FromMinutes(1)));
        _h.Time.Advance(TimeSpan.FromMinutes(2));
        await _h.Core.VerifyTokenAsync(_h.NewSession().AccessToken);
        _h.WorkOS.AuthenticateGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var impatient = new CancellationTokenSource();

        var first = _h.Engine.ValidateCookieAsync(cookie, impatient.Token).AsTask();
        Assert.True(await _h.WorkOS.AuthenticateArrived.WaitAsync(TimeSpan.FromSeconds(10)));
        var second = _h.Engine.ValidateCookieAsync(cookie).AsTask();
        await impatient.CancelAsync();
        _h.WorkOS.AuthenticateGate.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        var result = await second;
        Assert.True(result.Refreshed());
        Assert.NotNull(result.SealedSession);
        Assert.Equal(1, _h.WorkOS.RefreshRequests);
    }

    [Fact]
    public async Task A_failed_validation_is_not_kept_in_flight()
    {
        var cookie = Tamper.Middle(_h.Core.EncryptSession(_h.NewSession()));

        Assert.Equal(SessionResolutionStatus.Invalid, (await _h.Engine.ValidateCookieAsync(cookie)).Status);
        Assert.Equal(SessionResolutionStatus.Invalid, (await _h.Engine.ValidateCookieAsync(cookie)).Status);

        Assert.Equal(2, _h.Encryption.UnsealSessionCalls);
        Assert.Equal(0, _h.Engine.PendingResolutionCount);
    }

    [Fact]
    public async Task A_valid_cookie_validated_once_leaves_nothing_in_flight_and_is_cached()
    {
        var cookie = _h.Core.EncryptSession(_h.NewSession());

        var result = await _h.Engine.ValidateCookieAsync(cookie);

        Assert.True(result.Auth.IsAuthenticated);
        Assert.Equal(0, _h.Engine.PendingResolutionCount);
        Assert.Equal(1, _h.Core.Cache.Count);
    }
    [Fact]
    public async Task An_equal_cookie_value_from_another_request_joins_the_flight_and_a_cookie_sharing_only_its_tail_does_not()
    {
        var cookie = _h.Core.EncryptSession(_h.NewSession("org_acme", TimeSpan.FromMinutes(1)));
        _h.Time.Advance(TimeSpan.FromMinutes(2));
        await _h.Core.VerifyTokenAsync(_h.NewSession().AccessToken);
        _h.WorkOS.AuthenticateGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sameValue = new string(cookie.AsSpan()); // another request parses its own string
        var sameTail = Tamper.Middle(cookie);

        var first = _h.Engine.ValidateCookieAsync(cookie).AsTask();
        Assert.True(await _h.WorkOS.AuthenticateArrived.WaitAsync(TimeSpan.FromSeconds(10)));
        var joined = _h.Engine.ValidateCookieAsync(sameValue).AsTask();
        Assert.Equal(SessionResolutionStatus.Invalid, (await _h.Engine.ValidateCookieAsync(sameTail)).Status);
        Assert.Equal(1, _h.Engine.PendingResolutionCount);
        _h.WorkOS.AuthenticateGate.SetResult();
        var results = await Task.WhenAll(first, joined);

        Assert.Equal(1, _h.WorkOS.RefreshRequests);
        Assert.All(results, r => Assert.True(r.Refreshed()));
        Assert.Equal(results[0].SealedSession, results[1].SealedSession);
        Assert.Equal(0, _h.Engine.PendingResolutionCount);
    }
}
