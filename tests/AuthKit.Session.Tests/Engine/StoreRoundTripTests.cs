namespace AuthKit.Session.Tests.Engine;

/// <summary>How often one resolution asks the store: every call counts once a store is shared (a Redis round trip).</summary>
public sealed class StoreRoundTripTests : IDisposable
{
    private readonly EngineHarness _h = new(store: (options, time) => new CountingStore(new MemorySessionStore(options, time)));

    public void Dispose() => _h.Dispose();

    private CountingStore Store => (CountingStore)_h.Store;

    [Fact]
    public async Task An_expired_cookie_reads_the_relay_once_before_WorkOS_and_records_its_successor_once()
    {
        var cookie = _h.NewCookie();
        _h.Time.Advance(TimeSpan.FromMinutes(6));

        var resolution = await _h.Resolver.ResolveCookieAsync(cookie);

        Assert.Equal(SessionResolutionStatus.Updated, resolution.Status);
        Assert.Equal(1, _h.WorkOS.RefreshRequests);
        Assert.Equal(1, Store.GetRotationCalls); // the resolver's read; the flight does not read it again
        Assert.Equal(1, Store.SetRotationCalls);
        Assert.Equal(1, Store.LeaseCalls);
        Assert.Equal(1, Store.IsEndedCalls);
    }

    [Fact]
    public async Task A_warm_cookie_asks_the_store_only_whether_it_ended_or_rotated()
    {
        var cookie = _h.NewCookie();
        await _h.Resolver.ResolveCookieAsync(cookie);
        var (ended, rotations) = (Store.IsEndedCalls, Store.GetRotationCalls);

        var warm = await _h.Resolver.ResolveCookieAsync(cookie);

        Assert.Equal(SessionResolutionStatus.Authenticated, warm.Status);
        Assert.Equal(ended + 1, Store.IsEndedCalls);
        Assert.Equal(rotations + 1, Store.GetRotationCalls);
        Assert.Equal(0, Store.LeaseCalls);
    }

    private sealed class CountingStore(ISessionStore inner) : ISessionStore
    {
        private int _get, _set, _lease, _ended;

        public int GetRotationCalls => Volatile.Read(ref _get);
        public int SetRotationCalls => Volatile.Read(ref _set);
        public int LeaseCalls => Volatile.Read(ref _lease);
        public int IsEndedCalls => Volatile.Read(ref _ended);

        public bool IsShared => inner.IsShared;

        public ValueTask<SessionRefreshLease?> TryAcquireRefreshLeaseAsync(string key, TimeSpan duration, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _lease);
            return inner.TryAcquireRefreshLeaseAsync(key, duration, cancellationToken);
        }

        public ValueTask<bool> RenewRefreshLeaseAsync(SessionRefreshLease lease, TimeSpan duration, CancellationToken cancellationToken = default) => inner.RenewRefreshLeaseAsync(lease, duration, cancellationToken);

        public ValueTask ReleaseRefreshLeaseAsync(SessionRefreshLease lease, CancellationToken cancellationToken = default) => inner.ReleaseRefreshLeaseAsync(lease, cancellationToken);

        public ValueTask SetRotationAsync(string key, SessionRotation rotation, TimeSpan lifetime, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _set);
            return inner.SetRotationAsync(key, rotation, lifetime, cancellationToken);
        }

        public ValueTask<SessionRotation?> GetRotationAsync(string key, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _get);
            return inner.GetRotationAsync(key, cancellationToken);
        }

        public ValueTask MarkEndedAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken = default) => inner.MarkEndedAsync(key, lifetime, cancellationToken);

        public ValueTask<bool> IsEndedAsync(string key, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _ended);
            return inner.IsEndedAsync(key, cancellationToken);
        }

        public IDisposable Subscribe(Action<SessionStoreNotification> handler) => inner.Subscribe(handler);
    }
}
