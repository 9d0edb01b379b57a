using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Session.Tests.Engine;

/// <summary>The in-memory store's lease, expiry and notifications: the seam a shared (Redis) store implements too.</summary>
public sealed class MemorySessionStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly MemorySessionStore _store;

    public MemorySessionStoreTests() => _store = new MemorySessionStore(Microsoft.Extensions.Options.Options.Create(new SessionEngineOptions()), _time);

    [Fact]
    public async Task Only_one_caller_holds_a_refresh_lease_until_it_is_released()
    {
        var first = await _store.TryAcquireRefreshLeaseAsync("k", TimeSpan.FromSeconds(10));
        var second = await _store.TryAcquireRefreshLeaseAsync("k", TimeSpan.FromSeconds(10));
        var other = await _store.TryAcquireRefreshLeaseAsync("other", TimeSpan.FromSeconds(10));

        await _store.ReleaseRefreshLeaseAsync(first!);
        var afterRelease = await _store.TryAcquireRefreshLeaseAsync("k", TimeSpan.FromSeconds(10));

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.NotNull(other);
        Assert.NotNull(afterRelease);
        Assert.NotEqual(first!.Token, afterRelease!.Token);
    }

    [Fact]
    public async Task A_holder_that_never_releases_blocks_others_no_longer_than_the_lease()
    {
        var dead = await _store.TryAcquireRefreshLeaseAsync("k", TimeSpan.FromSeconds(10));

        _time.Advance(TimeSpan.FromSeconds(9));
        var tooEarly = await _store.TryAcquireRefreshLeaseAsync("k", TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(1));
        var takeover = await _store.TryAcquireRefreshLeaseAsync("k", TimeSpan.FromSeconds(10));

        Assert.NotNull(dead);
        Assert.Null(tooEarly);
        Assert.NotNull(takeover);
        Assert.False(await _store.RenewRefreshLeaseAsync(dead!, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_renewed_lease_outlives_its_first_expiry_and_a_stale_holder_cannot_release_the_new_one()
    {
        var lease = await _store.TryAcquireRefreshLeaseAsync("k", TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(8));
        Assert.True(await _store.RenewRefreshLeaseAsync(lease!, TimeSpan.FromSeconds(10)));
        _time.Advance(TimeSpan.FromSeconds(8)); // 16 s after acquiring: still held thanks to the renewal
        Assert.Null(await _store.TryAcquireRefreshLeaseAsync("k", TimeSpan.FromSeconds(10)));

        _time.Advance(TimeSpan.FromSeconds(3));
        var next = await _store.TryAcquireRefreshLeaseAsync("k", TimeSpan.FromSeconds(10));
        await _store.ReleaseRefreshLeaseAsync(lease!); // the old holder's late release
        var blocked = await _store.TryAcquireRefreshLeaseAsync("k", TimeSpan.FromSeconds(10));

        Assert.NotNull(next);
        Assert.Null(blocked);
    }

    [Fact]
    public async Task Subscribers_hear_of_rotations_and_ended_sessions_until_they_unsubscribe()
    {
        var heard = new List<SessionStoreNotification>();
        var subscription = _store.Subscribe(heard.Add);
        using var throwing = _store.Subscribe(_ => throw new InvalidOperationException("a bad subscriber"));

        await _store.SetRotationAsync("r1", new SessionRotation("sealed", "r2"), TimeSpan.FromHours(1));
        await _store.MarkEndedAsync("e1", TimeSpan.FromHours(1));
        subscription.Dispose();
        await _store.MarkEndedAsync("e2", TimeSpan.FromHours(1));

        Assert.Equal(
            [new SessionStoreNotification(SessionStoreNotificationKind.Rotated, "r1"), new SessionStoreNotification(SessionStoreNotificationKind.Ended, "e1")],
            heard);
    }
}
