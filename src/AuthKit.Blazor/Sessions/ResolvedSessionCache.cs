using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Buffers;
using System.Text;
using AuthKit.Session;

namespace AuthKit.Blazor;

/// <summary>
/// Bounded memory of cookies already unsealed and verified, keyed by a SHA-256 of the cookie value, so a cookie seen
/// before costs neither an unseal nor an RS256 verification while its access token is outside the refresh buffer. The
/// ended-session and relay checks still run on every request.
/// </summary>
internal sealed class ResolvedSessionCache(int capacity)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    internal int Count => _entries.Count;

    public bool TryGet(string cookie, out Entry entry) => _entries.TryGetValue(Key(cookie), out entry!);

    public void Set(string cookie, AuthResult auth)
    {
        if (capacity <= 0 || !auth.IsAuthenticated || auth.AccessTokenExpiresAt is not { } expiresAt)
        {
            return;
        }

        if (_entries.Count >= capacity)
        {
            // Cheap bound: drop everything that is stale, and if still full, start over (entries are re-created on demand).
            _entries.Clear();
        }

        _entries[Key(cookie)] = new Entry(auth, SessionRelay.KeyForRefreshToken(auth.RefreshToken), SessionRelay.KeyForSessionId(auth.SessionId), expiresAt);
    }

    public void Remove(string cookie) => _entries.TryRemove(Key(cookie), out _);

    private static string Key(string cookie)
    {
        Span<byte> hash = stackalloc byte[32];
        var count = Encoding.UTF8.GetByteCount(cookie);
        byte[]? rented = count > 4096 ? ArrayPool<byte>.Shared.Rent(count) : null;
        var buffer = rented is null ? stackalloc byte[count] : rented.AsSpan(0, count);
        Encoding.UTF8.GetBytes(cookie, buffer);
        SHA256.HashData(buffer, hash);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return Convert.ToBase64String(hash);
    }

    /// <summary>A verified session, its relay and ended-registry keys, and its access-token expiry.</summary>
    internal sealed record Entry(AuthResult Auth, string RelayKey, string EndedKey, DateTimeOffset ExpiresAt);
}
