using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor;

/// <summary>
/// In-memory <see cref="ISessionRotationStore"/> for a single server: entries expire after their lifetime, and past
/// <see cref="AuthKitBlazorOptions.MemoryRelaySizeLimit"/> entries the ones closest to expiry are evicted first.
/// </summary>
internal sealed class MemorySessionRotationStore : ISessionRotationStore
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly int _limit;
    private readonly Lock _trimLock = new();

    public MemorySessionRotationStore(IOptions<AuthKitBlazorOptions> options, TimeProvider time)
    {
        _time = time;
        _limit = Math.Max(16, options.Value.MemoryRelaySizeLimit);
    }

    internal int Count => _entries.Count;

    public ValueTask SetRotationAsync(string key, SessionRotation rotation, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        Set("r:" + key, rotation, lifetime);
        return ValueTask.CompletedTask;
    }

    public ValueTask<SessionRotation?> GetRotationAsync(string key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Get("r:" + key) as SessionRotation);

    public ValueTask MarkEndedAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        Set("e:" + key, true, lifetime);
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> IsEndedAsync(string key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Get("e:" + key) is not null);

    private void Set(string key, object value, TimeSpan lifetime)
    {
        _entries[key] = new Entry(value, _time.GetUtcNow() + lifetime);
        if (_entries.Count > _limit)
        {
            Trim();
        }
    }

    private object? Get(string key)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return null;
        }

        if (entry.ExpiresAt <= _time.GetUtcNow())
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            return null;
        }

        return entry.Value;
    }

    private void Trim()
    {
        lock (_trimLock)
        {
            if (_entries.Count <= _limit)
            {
                return;
            }

            var now = _time.GetUtcNow();
            foreach (var pair in _entries)
            {
                if (pair.Value.ExpiresAt <= now)
                {
                    _entries.TryRemove(pair);
                }
            }

            // Still over: evict the entries closest to expiry (the oldest) down to 90 % of the limit.
            var excess = _entries.Count - (_limit * 9 / 10);
            if (excess <= 0)
            {
                return;
            }

            foreach (var pair in _entries.OrderBy(p => p.Value.ExpiresAt).Take(excess).ToList())
            {
                _entries.TryRemove(pair);
            }
        }
    }

    private sealed record Entry(object Value, DateTimeOffset ExpiresAt);
}
