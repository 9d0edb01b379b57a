namespace AuthKit.Testing.Internal;

/// <summary>Injected faults, consumed by matching requests.</summary>
internal sealed class FaultStore
{
    private sealed class Entry(EmulatorFault fault)
    {
        public EmulatorFault Fault { get; } = fault;
        public int? Remaining { get; set; } = fault.Count;
    }

    private readonly Lock _gate = new();
    private readonly List<Entry> _entries = [];

    public void Add(EmulatorFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentException.ThrowIfNullOrWhiteSpace(fault.Route);
        if (fault.Count is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(fault), "Count must be positive (or null for unlimited).");
        }

        if (fault.Status is { } status && (status < 100 || status > 599))
        {
            throw new ArgumentOutOfRangeException(nameof(fault), "Status must be an HTTP status code.");
        }

        if (fault.Status is null && fault.Delay is null)
        {
            throw new ArgumentException("A fault needs a Status, a Delay, or both.", nameof(fault));
        }

        lock (_gate)
        {
            _entries.Add(new Entry(fault));
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }

    /// <summary>Takes one use of the first fault matching the request, if any.</summary>
    public EmulatorFault? TryTake(string method, string path, string? grantType)
    {
        lock (_gate)
        {
            for (var i = 0; i < _entries.Count; i++)
            {
                var entry = _entries[i];
                var fault = entry.Fault;
                if (!RouteMatches(fault.Route, path)
                    || (fault.Method is not null && !string.Equals(fault.Method, method, StringComparison.OrdinalIgnoreCase))
                    || (fault.GrantType is not null && !string.Equals(fault.GrantType, grantType, StringComparison.Ordinal)))
                {
                    continue;
                }

                if (entry.Remaining is { } remaining)
                {
                    entry.Remaining = remaining - 1;
                    if (entry.Remaining == 0)
                    {
                        _entries.RemoveAt(i);
                    }
                }

                return fault;
            }
        }

        return null;
    }

    private static bool RouteMatches(string route, string path)
    {
        var trimmed = route.Trim();
        if (!trimmed.StartsWith('/'))
        {
            trimmed = "/" + trimmed;
        }

        return trimmed.EndsWith('*')
            ? path.StartsWith(trimmed[..^1], StringComparison.OrdinalIgnoreCase)
            : string.Equals(trimmed.TrimEnd('/'), path.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
    }
}
