namespace AuthKit.Session.Tests.Engine;

/// <summary>
/// The engine's refresh flight and the store's lease: a refresh held by another server (the lease taken elsewhere) is
/// waited for, and a holder that dies blocks for no longer than the lease; servers sharing a store make one WorkOS call.
/// </summary>
public sealed class RefreshLeaseTests : IDisposable
{
    private readonly EngineHarness _h = new(new SessionEngineOptions { RefreshLeaseDuration = TimeSpan.FromSeconds(10) });

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task A_refresh_whose_lease_is_held_elsewhere_waits_for_the_successor_and_never_calls_WorkOS()
    {
        var session = _h.NewSession();
        var cookie = _h.Seal(session);
        _h.Time.Advance(TimeSpan.FromMinutes(6));
        var elsewhere = await _h.Store.TryAcquireRefreshLeaseAsync(SessionRelay.LeaseKeyFor(session.RefreshToken, null), TimeSpan.FromSeconds(10));

        var waiting = _h.Resolver.ResolveCookieAsync(cookie).AsTask();
        var successor = _h.NewSession(); // what the other server got from WorkOS
        var sealedSuccessor = _h.Seal(successor);
        await _h.Relay.RecordRotationAsync(session.RefreshToken, successor.RefreshToken, sealedSuccessor); // pushed to subscribers
        var result = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.NotNull(elsewhere);
        Assert.Equal(SessionResolutionStatus.Updated, result.Status);
        Assert.Equal(sealedSuccessor, result.SealedSession);
        Assert.False(result.CalledWorkOS);
        Assert.Equal(0, _h.WorkOS.RefreshRequests);
    }

    [Fact]
    public async Task A_lease_holder_that_died_blocks_the_refresh_only_until_the_lease_lapses()
    {
        var session = _h.NewSession();
        var cookie = _h.Seal(session);
        _h.Time.Advance(TimeSpan.FromMinutes(6));
        await _h.Store.TryAcquireRefreshLeaseAsync(SessionRelay.LeaseKeyFor(session.RefreshToken, null), TimeSpan.FromSeconds(10));

        var waiting = _h.Resolver.ResolveCookieAsync(cookie).AsTask();
        var advanced = TimeSpan.Zero;
        while (advanced < TimeSpan.FromSeconds(12))
        {
            // Each poll of the relay sets a 250 ms timer; move the clock past it until the lease lapses.
            var polled = _h.Time.WaitForTimerAsync(TimeSpan.FromMilliseconds(250));
            if (await Task.WhenAny(waiting, polled) == waiting)
            {
                break;
            }

            _h.Time.Advance(TimeSpan.FromSeconds(1));
            advanced += TimeSpan.FromSeconds(1);
        }

        var result = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(SessionResolutionStatus.Updated, result.Status);
        Assert.True(result.CalledWorkOS);
        Assert.Equal(1, _h.WorkOS.RefreshRequests);
        Assert.InRange(advanced, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(11)); // waited out the 10 s lease, no longer
    }

    [Fact]
    public async Task Two_servers_sharing_a_store_refresh_one_expired_cookie_with_one_WorkOS_call()
    {
        var shared = new SharedMemoryStore(_h.Store);
        var serverA = _h.NewServer(shared);
        var serverB = _h.NewServer(shared);
        var cookie = _h.NewCookie();
        _h.Time.Advance(TimeSpan.FromMinutes(6));
        _h.WorkOS.AuthenticateGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var a = Enumerable.Range(0, 10).Select(_ => Task.Run(() => serverA.ResolveCookieAsync(cookie).AsTask()));
        var b = Enumerable.Range(0, 10).Select(_ => Task.Run(() => serverB.ResolveCookieAsync(cookie).AsTask()));
        var all = a.Concat(b).ToArray();
        Assert.True(await _h.WorkOS.AuthenticateArrived.WaitAsync(TimeSpan.FromSeconds(10)));
        _h.WorkOS.AuthenticateGate.SetResult();
        var results = await Task.WhenAll(all).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, _h.WorkOS.RefreshRequests);
        Assert.All(results, r => Assert.True(r.Auth.IsAuthenticated));
        Assert.Single(results.Select(r => r.SealedSession).Distinct());
    }

    [Fact]
    public async Task A_server_losing_a_refresh_race_without_a_shared_lease_waits_for_the_winners_successor_instead_of_signing_out()
    {
        // Two servers share rotations but not a lease (as with an IDistributedCache store): both call WorkOS, the second
        // call is rejected (single-use token), and the loser must find the winner's successor once it is written.
        var rotations = new MemorySessionStore(_h.EngineOptions, _h.Time);
        var storeA = new PerServerLeaseStore(rotations, _h.EngineOptions, _h.Time) { GateWrites = true };
        var storeB = new PerServerLeaseStore(rotations, _h.EngineOptions, _h.Time);
        var serverA = _h.NewServer(storeA);
        var serverB = _h.NewServer(storeB);
        var cookie = _h.NewCookie();
        _h.Time.Advance(TimeSpan.FromMinutes(6));

        var a = serverA.ResolveCookieAsync(cookie).AsTask();
        await storeA.WriteWaiting.Task.WaitAsync(TimeSpan.FromSeconds(10)); // A spent the token, its successor not stored yet
        var b = serverB.ResolveCookieAsync(cookie).AsTask();
        await _h.Time.WaitForTimerAsync(TimeSpan.FromMilliseconds(250));     // B was rejected and looks again shortly
        storeA.WriteGate.SetResult();
        var resultA = await a.WaitAsync(TimeSpan.FromSeconds(10));
        _h.Time.Advance(TimeSpan.FromMilliseconds(250));
        var resultB = await b.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(resultA.Auth.IsAuthenticated);
        Assert.Equal(SessionResolutionStatus.Updated, resultB.Status);
        Assert.Equal(resultA.SealedSession, resultB.SealedSession);
        Assert.Equal(2, _h.WorkOS.RefreshRequests);
    }

    /// <summary>Shared rotations and ended sessions, but a lease of this "server" only; writes can be held at a gate.</summary>
    private sealed class PerServerLeaseStore(ISessionStore shared, Microsoft.Extensions.Options.IOptions<SessionEngineOptions> options, TimeProvider time) : ISessionStore
    {
        private readonly MemorySessionStore _leases = new(options, time);

        public bool GateWrites { get; init; }
        public TaskCompletionSource WriteGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource WriteWaiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool IsShared => true;
        public ValueTask<SessionRefreshLease?> TryAcquireRefreshLeaseAsync(string key, TimeSpan duration, CancellationToken cancellationToken = default) => _leases.TryAcquireRefreshLeaseAsync(key, duration, cancellationToken);
        public ValueTask<bool> RenewRefreshLeaseAsync(SessionRefreshLease lease, TimeSpan duration, CancellationToken cancellationToken = default) => _leases.RenewRefreshLeaseAsync(lease, duration, cancellationToken);
        public ValueTask ReleaseRefreshLeaseAsync(SessionRefreshLease lease, CancellationToken cancellationToken = default) => _leases.ReleaseRefreshLeaseAsync(lease, cancellationToken);

        public async ValueTask SetRotationAsync(string key, SessionRotation rotation, TimeSpan lifetime, CancellationToken cancellationToken = default)
        {
            if (GateWrites)
            {
                WriteWaiting.TrySetResult();
                await WriteGate.Task;
            }

            await shared.SetRotationAsync(key, rotation, lifetime, cancellationToken);
        }

        public ValueTask<SessionRotation?> GetRotationAsync(string key, CancellationToken cancellationToken = default) => shared.GetRotationAsync(key, cancellationToken);
        public ValueTask MarkEndedAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken = default) => shared.MarkEndedAsync(key, lifetime, cancellationToken);
        public ValueTask<bool> IsEndedAsync(string key, CancellationToken cancellationToken = default) => shared.IsEndedAsync(key, cancellationToken);
        public IDisposable Subscribe(Action<SessionStoreNotification> handler) => _leases.Subscribe(handler);
    }

    /// <summary>The in-memory store presented as shared (one store, several "servers" in this process).</summary>
    private sealed class SharedMemoryStore(ISessionStore inner) : ISessionStore
    {
        public bool IsShared => true;
        public ValueTask<SessionRefreshLease?> TryAcquireRefreshLeaseAsync(string key, TimeSpan duration, CancellationToken cancellationToken = default) => inner.TryAcquireRefreshLeaseAsync(key, duration, cancellationToken);
        public ValueTask<bool> RenewRefreshLeaseAsync(SessionRefreshLease lease, TimeSpan duration, CancellationToken cancellationToken = default) => inner.RenewRefreshLeaseAsync(lease, duration, cancellationToken);
        public ValueTask ReleaseRefreshLeaseAsync(SessionRefreshLease lease, CancellationToken cancellationToken = default) => inner.ReleaseRefreshLeaseAsync(lease, cancellationToken);
        public ValueTask SetRotationAsync(string key, SessionRotation rotation, TimeSpan lifetime, CancellationToken cancellationToken = default) => inner.SetRotationAsync(key, rotation, lifetime, cancellationToken);
        public ValueTask<SessionRotation?> GetRotationAsync(string key, CancellationToken cancellationToken = default) => inner.GetRotationAsync(key, cancellationToken);
        public ValueTask MarkEndedAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken = default) => inner.MarkEndedAsync(key, lifetime, cancellationToken);
        public ValueTask<bool> IsEndedAsync(string key, CancellationToken cancellationToken = default) => inner.IsEndedAsync(key, cancellationToken);
        public IDisposable Subscribe(Action<SessionStoreNotification> handler) => inner.Subscribe(handler);
    }
}
