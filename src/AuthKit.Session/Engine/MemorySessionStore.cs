using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace AuthKit.Session;

/// <summary>
/// The in-memory <see cref="ISessionStore"/> for one server: leases, rotations and ended sessions expire after their
/// lifetime (through <see cref="TimeProvider"/>); past <see cref="SessionEngineOptions.MemoryStoreSizeLimit"/> entries the
/// ones closest to expiry are evicted first. Notifications are delivered synchronously to this process's subscribers.
/// </summary>
internal sealed class MemorySessionStore : ISessionStore
{
    // Rotations and ended sessions in two maps keyed by the store key itself (no per-look-up key building).
    private readonly ConcurrentDictionary<string, Entry> _rotations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry> _ended = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SessionRefreshLease> _leases = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly int _limit;
    private readonly Lock _trimLock = new();
    private readonly SessionStoreSubscribers _subscribers = new();

    public MemorySessionStore(IOptions<SessionEngineOptions> options, TimeProvider time)
    {
        _time = time;
        _limit = Math.Max(16, options.Value.MemoryStoreSizeLimit);
    }

    public bool IsShared => false;

    internal int Count => _rotations.Count + _ended.Count;

    public ValueTask<SessionRefreshLease?> TryAcquireRefreshLeaseAsync(string key, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var lease = new SessionRefreshLease(key, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), now + duration);
        while (true)
        {
            if (_leases.TryAdd(key, lease))
            {
                return ValueTask.FromResult<SessionRefreshLease?>(lease);
            }

            if (!_leases.TryGetValue(key, out var held))
            {
                continue;
            }

            if (held.ExpiresAt > now)
            {
                return ValueTask.FromResult<SessionRefreshLease?>(null);
            }

            // The holder went away without releasing: its lease lapsed, take over.
            if (_leases.TryUpdate(key, lease, held))
            {
                return ValueTask.FromResult<SessionRefreshLease?>(lease);
            }
        }
    }

    public ValueTask<bool> RenewRefreshLeaseAsync(SessionRefreshLease lease, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var now = _time.GetUtcNow();
        if (_leases.TryGetValue(lease.Key, out var held) && held.Token == lease.Token && held.ExpiresAt > now)
        {
            return ValueTask.FromResult(_leases.TryUpdate(lease.Key, held with { ExpiresAt = now + duration }, held));
        }

        return ValueTask.FromResult(false);
    }

    public ValueTask ReleaseRefreshLeaseAsync(SessionRefreshLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (_leases.TryGetValue(lease.Key, out var held) && held.Token == lease.Token)
        {
            _leases.TryRemove(KeyValuePair.Create(lease.Key, held));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask SetRotationAsync(string key, SessionRotation rotation, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(rotation);
        Set(_rotations, key, rotation, lifetime);
        // The record that led to this one now only points here: its sealed session is superseded (one sealed session
        // per chain, not one per refresh). The successor's predecessor is remembered for its own rotation.
        Set(_rotations, PredecessorKey(rotation.SuccessorKey), key, lifetime);
        if (_rotations.TryRemove(PredecessorKey(key), out var predecessor) && predecessor.Value is string previous
            && _rotations.TryGetValue(previous, out var entry) && entry.Value is SessionRotation { IsSuperseded: false } superseded)
        {
            _rotations.TryUpdate(previous, entry with { Value = superseded.AsSuperseded() }, entry);
        }

        Notify(new SessionStoreNotification(SessionStoreNotificationKind.Rotated, key));
        return ValueTask.CompletedTask;
    }

    // Relay keys are base64url: "<" never starts one.
    private static string PredecessorKey(string key) => "<" + key;

    public ValueTask<SessionRotation?> GetRotationAsync(string key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Get(_rotations, key) as SessionRotation);

    public ValueTask MarkEndedAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        Set(_ended, key, true, lifetime);
        Notify(new SessionStoreNotification(SessionStoreNotificationKind.Ended, key));
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> IsEndedAsync(string key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Get(_ended, key) is not null);

    public IDisposable Subscribe(Action<SessionStoreNotification> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return _subscribers.Add(handler);
    }

    private void Notify(SessionStoreNotification notification) => _subscribers.Notify(notification);

    private void Set(ConcurrentDictionary<string, Entry> map, string key, object value, TimeSpan lifetime)
    {
        map[key] = new Entry(value, _time.GetUtcNow() + lifetime);
        if (Count > _limit)
        {
            Trim();
        }
    }

    private object? Get(ConcurrentDictionary<string, Entry> map, string key)
    {
        if (map.IsEmpty || !map.TryGetValue(key, out var entry))
        {
            return null;
        }

        if (entry.ExpiresAt <= _time.GetUtcNow())
        {
            map.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            return null;
        }

        return entry.Value;
    }

    private void Trim()
    {
        lock (_trimLock)
        {
            if (Count <= _limit)
            {
                return;
            }

            var now = _time.GetUtcNow();
            foreach (var map in new[] { _rotations, _ended })
            {
                foreach (var pair in map)
                {
                    if (pair.Value.ExpiresAt <= now)
                    {
                        map.TryRemove(pair);
                    }
                }
            }

            // Still over: evict the entries closest to expiry (the oldest) down to 90 % of the limit.
            var excess = Count - (_limit * 9 / 10);
            if (excess <= 0)
            {
                return;
            }

            var oldest = _rotations.Select(p => (Map: _rotations, Pair: p)).Concat(_ended.Select(p => (Map: _ended, Pair: p)))
                .OrderBy(e => e.Pair.Value.ExpiresAt).Take(excess).ToList();
            foreach (var (map, pair) in oldest)
            {
                map.TryRemove(pair);
            }
        }
    }

    private sealed record Entry(object Value, DateTimeOffset ExpiresAt);
}
