namespace AuthKit.Session;

/// <summary>Settings of the session engine (refresh window, relay and store lifetimes).</summary>
public sealed class SessionEngineOptions
{
    /// <summary>
    /// Refresh the session when the access token expires within this window, capped at half the token's lifetime (so a
    /// buffer longer than the token does not refresh on every request). Default 60 seconds.
    /// </summary>
    public TimeSpan RefreshBuffer { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a rotated session stays in the relay for browsers still holding the old cookie, and how long a signed-out
    /// session id is remembered. Default 7 days.
    /// </summary>
    public TimeSpan RelayLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Maximum entries of the in-memory store (oldest evicted first). Default 10,000.</summary>
    public int MemoryStoreSizeLimit { get; set; } = 10_000;

    /// <summary>
    /// How long a refresh lease is held before it lapses (renewed while a slow WorkOS call runs), so a server that dies
    /// mid-refresh blocks the others no longer than this. Default 10 seconds.
    /// </summary>
    public TimeSpan RefreshLeaseDuration { get; set; } = TimeSpan.FromSeconds(10);
}
