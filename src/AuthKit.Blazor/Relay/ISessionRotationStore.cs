namespace AuthKit.Blazor;

/// <summary>
/// Storage behind the rotation relay and the ended-session registry. Keys are opaque hashes chosen by AuthKit
/// (never a token); values are sealed sessions (encrypted with the cookie password). The default is in memory
/// (one server); use <c>AddAuthKit().UseDistributedCacheSessionStore()</c> with an <c>IDistributedCache</c>
/// (e.g. Redis) when several servers share cookies.
/// </summary>
public interface ISessionRotationStore
{
    /// <summary>Records that the session whose refresh token hashes to <paramref name="key"/> was rotated into <paramref name="rotation"/>.</summary>
    ValueTask SetRotationAsync(string key, SessionRotation rotation, TimeSpan lifetime, CancellationToken cancellationToken = default);

    /// <summary>Returns the rotation recorded under <paramref name="key"/>, or null.</summary>
    ValueTask<SessionRotation?> GetRotationAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Records that the session identified by <paramref name="key"/> ended (signed out).</summary>
    ValueTask MarkEndedAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken = default);

    /// <summary>Whether the session identified by <paramref name="key"/> ended.</summary>
    ValueTask<bool> IsEndedAsync(string key, CancellationToken cancellationToken = default);
}

/// <summary>A rotated session: the sealed successor and the relay key of the successor's own refresh token (to follow chains).</summary>
/// <param name="SealedSession">The successor session, sealed like the cookie.</param>
/// <param name="SuccessorKey">The relay key of the successor's refresh token.</param>
public sealed record SessionRotation(string SealedSession, string SuccessorKey);
