namespace AuthKit.Session;

/// <summary>
/// What the servers of one app share about sessions: a refresh lease per (refresh-token hash, organization), rotations
/// (the successor of a refresh token, recorded before the lease is released), ended (signed-out) sessions, and
/// notifications of rotations and ended sessions, so a server can keep a local view instead of asking on every request.
/// Keys are opaque hashes chosen by AuthKit, never a token; rotation values are sealed sessions (encrypted with the cookie
/// password). The default store is in memory (one server).
/// </summary>
public interface ISessionStore
{
    /// <summary>Whether other servers see this store (false for the in-memory default).</summary>
    bool IsShared { get; }

    /// <summary>
    /// Takes the refresh lease for <paramref name="key"/> for <paramref name="duration"/>, or returns null while another
    /// holder has it. A lease that is not released expires, so a holder that dies blocks nobody for longer than that.
    /// </summary>
    ValueTask<SessionRefreshLease?> TryAcquireRefreshLeaseAsync(string key, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Extends a lease this caller still holds (a slow WorkOS call); false when it was lost (expired and taken).</summary>
    ValueTask<bool> RenewRefreshLeaseAsync(SessionRefreshLease lease, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Releases a lease this caller holds (a no-op when it already expired or another holder took it).</summary>
    ValueTask ReleaseRefreshLeaseAsync(SessionRefreshLease lease, CancellationToken cancellationToken = default);

    /// <summary>Records that the session whose refresh token hashes to <paramref name="key"/> was rotated into <paramref name="rotation"/>, and notifies subscribers.</summary>
    ValueTask SetRotationAsync(string key, SessionRotation rotation, TimeSpan lifetime, CancellationToken cancellationToken = default);

    /// <summary>Returns the rotation recorded under <paramref name="key"/>, or null.</summary>
    ValueTask<SessionRotation?> GetRotationAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Records that the session identified by <paramref name="key"/> ended (signed out), and notifies subscribers.</summary>
    ValueTask MarkEndedAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken = default);

    /// <summary>Whether the session identified by <paramref name="key"/> ended.</summary>
    ValueTask<bool> IsEndedAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls <paramref name="handler"/> for every rotation and ended session recorded from now on (by this server or, for a
    /// shared store, any other). The handler must be quick and must not throw. Dispose the result to stop.
    /// </summary>
    IDisposable Subscribe(Action<SessionStoreNotification> handler);
}
