using System.Collections.Concurrent;
using AuthKit.Session;

namespace AuthKit.Redis.Internal;

/// <summary>
/// This server's view of the shared store, fed by its own writes, by pub/sub and by reconciliation with Redis: ended
/// sessions (complete once synced, so a miss needs no Redis command), the most recent rotations (a cache), and the relay
/// keys whose refresh is running or awaited (a rotation miss for those asks Redis). Everything expires through
/// <see cref="TimeProvider"/> and is bounded.
/// </summary>
internal sealed class RedisLocalView(TimeProvider time, int endedLimit, int rotationLimit)
{
    private readonly ConcurrentDictionary<string, long> _ended = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (SessionRotation Rotation, long ExpiresAt)> _rotations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _awaited = new(StringComparer.Ordinal);
    private readonly int _endedLimit = Math.Max(16, endedLimit);
    private readonly int _rotationLimit = Math.Max(16, rotationLimit);
    private readonly Lock _trimLock = new();
    private volatile bool _synced;
    private volatile bool _endedTrimmed;

    /// <summary>Subscribed and reconciled since the last connection problem: a miss of an ended session is authoritative.</summary>
    public bool IsSynced => _synced && !_endedTrimmed;

    public int EndedCount => _ended.Count;

    public int RotationCount => _rotations.Count;

    public void MarkStale() => _synced = false;

    /// <summary>The view is reconciled; <paramref name="complete"/> is false when Redis held more ended sessions than the view keeps.</summary>
    public void MarkSynced(bool complete)
    {
        _endedTrimmed = !complete;
        _synced = true;
    }

    private long Now => time.GetUtcNow().UtcTicks;

    public void AddEnded(string key, DateTimeOffset expiresAt)
    {
        var ticks = expiresAt.UtcTicks;
        _ended.AddOrUpdate(key, ticks, (_, old) => Math.Max(old, ticks));
        if (_ended.Count > _endedLimit)
        {
            Trim(_ended, _endedLimit, e => e, trimmed: () => _endedTrimmed = true);
        }
    }

    public bool IsEnded(string key)
    {
        if (_ended.IsEmpty || !_ended.TryGetValue(key, out var expiresAt))
        {
            return false;
        }

        if (expiresAt > Now)
        {
            return true;
        }

        _ended.TryRemove(KeyValuePair.Create(key, expiresAt));
        return false;
    }

    /// <summary>The unexpired ended sessions (for writing back to a Redis that lost them).</summary>
    public List<(string Key, DateTimeOffset ExpiresAt)> EndedEntries()
    {
        var now = Now;
        return [.. _ended.Where(p => p.Value > now).Select(p => (p.Key, new DateTimeOffset(p.Value, TimeSpan.Zero)))];
    }

    public void AddRotation(string key, SessionRotation rotation, DateTimeOffset expiresAt)
    {
        // A record only ever goes from whole to superseded: a late copy of the whole record (a message that overtook
        // this server's own write, or a read from Redis) must not bring its sealed session back.
        if (!rotation.IsSuperseded && _rotations.TryGetValue(key, out var held) && held.Rotation.IsSuperseded
            && held.Rotation.SuccessorKey == rotation.SuccessorKey)
        {
            return;
        }

        _rotations[key] = (rotation, expiresAt.UtcTicks);
        if (_rotations.Count > _rotationLimit)
        {
            Trim(_rotations, _rotationLimit, e => e.ExpiresAt, trimmed: null);
        }
    }

    public SessionRotation? GetRotation(string key)
    {
        if (_rotations.IsEmpty || !_rotations.TryGetValue(key, out var entry))
        {
            return null;
        }

        if (entry.ExpiresAt > Now)
        {
            return entry.Rotation;
        }

        _rotations.TryRemove(KeyValuePair.Create(key, entry));
        return null;
    }

    /// <summary>A refresh of the token behind <paramref name="relayKey"/> is running or awaited until <paramref name="until"/>.</summary>
    public void Await(string relayKey, DateTimeOffset until)
    {
        _awaited[relayKey] = until.UtcTicks;
        if (_awaited.Count > _rotationLimit)
        {
            Trim(_awaited, _rotationLimit, e => e, trimmed: null);
        }
    }

    public bool IsAwaited(string relayKey)
    {
        if (_awaited.IsEmpty || !_awaited.TryGetValue(relayKey, out var until))
        {
            return false;
        }

        if (until > Now)
        {
            return true;
        }

        _awaited.TryRemove(KeyValuePair.Create(relayKey, until));
        return false;
    }

    private void Trim<T>(ConcurrentDictionary<string, T> map, int limit, Func<T, long> expiresAt, Action? trimmed)
    {
        lock (_trimLock)
        {
            if (map.Count <= limit)
            {
                return;
            }

            var now = Now;
            foreach (var pair in map)
            {
                if (expiresAt(pair.Value) <= now)
                {
                    map.TryRemove(pair);
                }
            }

            var excess = map.Count - (limit * 9 / 10);
            if (excess <= 0)
            {
                return;
            }

            foreach (var pair in map.OrderBy(p => expiresAt(p.Value)).Take(excess).ToList())
            {
                map.TryRemove(pair);
            }

            trimmed?.Invoke();
        }
    }
}
