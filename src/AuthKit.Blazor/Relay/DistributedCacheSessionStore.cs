using System.Text;
using AuthKit.Session;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor;

/// <summary>
/// <see cref="ISessionStore"/> on an <see cref="IDistributedCache"/> (Redis, SQL Server, ...): every server sees the same
/// rotations and ended sessions. Values are sealed sessions, never plain tokens. What it lacks, because
/// <see cref="IDistributedCache"/> has no atomic operations and no publish/subscribe: the refresh lease and the
/// notifications are per process (each server takes its own lease and hears only its own rotations), so servers that
/// refresh the same cookie at the same moment may each call WorkOS (the loser picks up the winner's successor from the
/// relay), and every request reads the cache. For several servers, prefer a store with a distributed lease and push.
/// </summary>
internal sealed class DistributedCacheSessionStore(IDistributedCache cache, IOptions<SessionEngineOptions> options, TimeProvider time) : ISessionStore
{
    private const string RotationPrefix = "authkit:rotation:";
    private const string EndedPrefix = "authkit:ended:";

    // Leases and notifications: this process only (see the type's remarks).
    private readonly MemorySessionStore _local = new(options, time);

    public bool IsShared => true;

    public ValueTask<SessionRefreshLease?> TryAcquireRefreshLeaseAsync(string key, TimeSpan duration, CancellationToken cancellationToken = default) =>
        _local.TryAcquireRefreshLeaseAsync(key, duration, cancellationToken);

    public ValueTask<bool> RenewRefreshLeaseAsync(SessionRefreshLease lease, TimeSpan duration, CancellationToken cancellationToken = default) =>
        _local.RenewRefreshLeaseAsync(lease, duration, cancellationToken);

    public ValueTask ReleaseRefreshLeaseAsync(SessionRefreshLease lease, CancellationToken cancellationToken = default) =>
        _local.ReleaseRefreshLeaseAsync(lease, cancellationToken);

    public IDisposable Subscribe(Action<SessionStoreNotification> handler) => _local.Subscribe(handler);

    public async ValueTask SetRotationAsync(string key, SessionRotation rotation, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        var value = Encoding.UTF8.GetBytes(rotation.SuccessorKey + "\n" + rotation.SealedSession);
        await cache.SetAsync(RotationPrefix + key, value, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = lifetime }, cancellationToken).ConfigureAwait(false);
        await _local.SetRotationAsync(key, rotation, lifetime, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<SessionRotation?> GetRotationAsync(string key, CancellationToken cancellationToken = default)
    {
        var value = await cache.GetAsync(RotationPrefix + key, cancellationToken).ConfigureAwait(false);
        if (value is null)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(value);
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline <= 0 ? null : new SessionRotation(text[(newline + 1)..], text[..newline]);
    }

    public async ValueTask MarkEndedAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        await cache.SetAsync(EndedPrefix + key, [1], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = lifetime }, cancellationToken).ConfigureAwait(false);
        await _local.MarkEndedAsync(key, lifetime, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> IsEndedAsync(string key, CancellationToken cancellationToken = default) =>
        await cache.GetAsync(EndedPrefix + key, cancellationToken).ConfigureAwait(false) is not null;
}
