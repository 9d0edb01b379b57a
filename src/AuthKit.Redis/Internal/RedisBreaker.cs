namespace AuthKit.Redis.Internal;

/// <summary>
/// The circuit breaker in front of Redis: after <c>failuresToBreak</c> consecutive failures no command is sent for the
/// break duration; then one probe is let through (the others still go without Redis) and its outcome closes or reopens it.
/// </summary>
internal sealed class RedisBreaker(TimeProvider time, int failuresToBreak, TimeSpan breakDuration)
{
    private const int Closed = 0;
    private const int Open = 1;
    private const int Probing = 2;

    private readonly int _failuresToBreak = Math.Max(1, failuresToBreak);
    private int _state;
    private int _failures;
    private long _openUntilTicks;

    /// <summary>Raised (once per outage) when the breaker opens.</summary>
    public event Action? Opened;

    /// <summary>Raised when a command succeeded after the breaker had been open.</summary>
    public event Action? Recovered;

    public bool IsOpen => Volatile.Read(ref _state) != Closed;

    /// <summary>Whether a command may be sent now.</summary>
    public bool Allow()
    {
        var state = Volatile.Read(ref _state);
        if (state == Closed)
        {
            return true;
        }

        if (state == Open && time.GetUtcNow().UtcTicks >= Volatile.Read(ref _openUntilTicks))
        {
            return Interlocked.CompareExchange(ref _state, Probing, Open) == Open; // one probe at a time
        }

        return false;
    }

    public void Success()
    {
        Volatile.Write(ref _failures, 0);
        if (Interlocked.Exchange(ref _state, Closed) != Closed)
        {
            Recovered?.Invoke();
        }
    }

    public void Failure()
    {
        var failures = Interlocked.Increment(ref _failures);
        var state = Volatile.Read(ref _state);
        if (state == Probing || failures >= _failuresToBreak)
        {
            Trip();
        }
    }

    /// <summary>Opens the breaker now (the connection reported a failure).</summary>
    public void Trip()
    {
        Volatile.Write(ref _openUntilTicks, (time.GetUtcNow() + breakDuration).UtcTicks);
        if (Interlocked.Exchange(ref _state, Open) == Closed)
        {
            Opened?.Invoke();
        }
    }

    /// <summary>Lets the next command through at once (the connection reported it is back).</summary>
    public void AllowProbeNow() => Volatile.Write(ref _openUntilTicks, 0);
}
