using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Session;

/// <summary>
/// The rotation relay and the ended-session registry over an <see cref="ISessionStore"/>: successors are
/// recorded under a SHA-256 hash of the OLD refresh token (never the token), and lookups follow chains of rotations
/// to the newest session.
/// </summary>
internal sealed partial class SessionRelay(ISessionStore store, IOptions<SessionEngineOptions> options, ILogger<SessionRelay> logger)
{
    /// <summary>Whether the store is shared with other servers (anything but the in-memory default).</summary>
    public bool IsShared => store.IsShared;

    /// <summary>The store behind the relay (its lease and notifications).</summary>
    public ISessionStore Store => store;

    /// <summary>The lease key of a refresh for (refresh token, organization): the relay key plus the organization.</summary>
    internal static string LeaseKeyFor(string refreshToken, string? organizationId) => KeyForRefreshToken(refreshToken) + "|" + organizationId;

    /// <summary>Longest chain followed (guards against cycles and runaway chains).</summary>
    internal const int MaxChainLength = 32;

    /// <summary>The relay key of a refresh token: base64url(SHA-256("authkit-relay\n" + token)).</summary>
    internal static string KeyForRefreshToken(string refreshToken) => Hash("authkit-relay\n", refreshToken);

    /// <summary>The registry key of a session id.</summary>
    internal static string KeyForSessionId(string sessionId) => Hash("authkit-ended\n", sessionId);

    /// <summary>Records that the session holding <paramref name="previousRefreshToken"/> was rotated into <paramref name="sealedSuccessor"/>.</summary>
    public async ValueTask RecordRotationAsync(string previousRefreshToken, string successorRefreshToken, string sealedSuccessor, CancellationToken cancellationToken = default)
    {
        var key = KeyForRefreshToken(previousRefreshToken);
        await store.SetRotationAsync(key, new SessionRotation(sealedSuccessor, KeyForRefreshToken(successorRefreshToken)), options.Value.RelayLifetime, cancellationToken).ConfigureAwait(false);
        LogRecorded(logger, key[..8]);
    }

    /// <summary>
    /// Follows the chain of rotations starting at <paramref name="refreshToken"/> and returns the newest sealed session,
    /// or null when this refresh token was never rotated through the relay.
    /// </summary>
    public ValueTask<RelayHit?> FindNewestAsync(string refreshToken, CancellationToken cancellationToken = default) =>
        FindNewestByKeyAsync(KeyForRefreshToken(refreshToken), cancellationToken);

    /// <summary>As <see cref="FindNewestAsync"/>, starting from a relay key already computed.</summary>
    public async ValueTask<RelayHit?> FindNewestByKeyAsync(string key, CancellationToken cancellationToken = default)
    {
        // A store may keep a superseded rotation as a bare pointer (no sealed session: see SessionRotation); the chain
        // then ends at a record that still holds one.
        string? newest = null;
        var hops = 0;
        while (hops < MaxChainLength)
        {
            var next = await store.GetRotationAsync(key, cancellationToken).ConfigureAwait(false);
            if (next is null)
            {
                break;
            }

            if (!next.IsSuperseded)
            {
                newest = next.SealedSession;
            }

            key = next.SuccessorKey;
            hops++;
        }

        if (newest is null)
        {
            return null;
        }

        LogFound(logger, hops);
        return new RelayHit(newest, hops);
    }

    /// <summary>Records that a session was signed out; every server and circuit then treats it as ended.</summary>
    public ValueTask MarkEndedAsync(string sessionId, CancellationToken cancellationToken = default) =>
        store.MarkEndedAsync(KeyForSessionId(sessionId), options.Value.RelayLifetime, cancellationToken);

    /// <summary>Whether the session was signed out.</summary>
    public ValueTask<bool> IsEndedAsync(string? sessionId, CancellationToken cancellationToken = default) =>
        string.IsNullOrEmpty(sessionId) ? ValueTask.FromResult(false) : store.IsEndedAsync(KeyForSessionId(sessionId), cancellationToken);

    /// <summary>As <see cref="IsEndedAsync"/>, with the registry key already computed.</summary>
    public ValueTask<bool> IsEndedByKeyAsync(string key, CancellationToken cancellationToken = default) =>
        store.IsEndedAsync(key, cancellationToken);

    private static string Hash(string domain, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(domain + value);
        return Base64Url.EncodeToString(SHA256.HashData(bytes));
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Debug, Message = "Rotation relay: recorded a successor under key {KeyPrefix}.")]
    private static partial void LogRecorded(ILogger logger, string keyPrefix);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Debug, Message = "Rotation relay: found a successor {Hops} rotation(s) ahead of the presented session.")]
    private static partial void LogFound(ILogger logger, int hops);
}

/// <summary>The newest session found in the relay and how many rotations ahead of the presented one it is.</summary>
internal sealed record RelayHit(string SealedSession, int Hops);
