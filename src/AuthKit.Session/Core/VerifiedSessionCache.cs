using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace AuthKit.Session;

/// <summary>
/// A bounded cache of session cookies already unsealed and verified, keyed by a SHA-256 of the full cookie value
/// (so huge cookie strings are not kept as keys). A hit is served only while the access token is unexpired; the
/// expiry is checked on every look-up. Entries are evicted on sign-out and refresh of their session, and when the
/// cache is full (expired entries first, then arbitrary ones). One instance per <see cref="AuthKitCore"/>, shared by
/// every per-request path (the core's own validation and the Blazor scheme's resolver); an entry may carry a caller's
/// <see cref="Entry.Keys"/> (data derived once from the session, e.g. precomputed look-up keys).
/// </summary>
internal sealed class VerifiedSessionCache
{
    private readonly ConcurrentDictionary<CookieHash, Entry> _entries = new();
    private readonly int _capacity;
    private readonly TimeSpan _clockSkew;
    private int _count;

    public VerifiedSessionCache(int capacity, TimeSpan clockSkew)
    {
        _capacity = Math.Max(0, capacity);
        _clockSkew = clockSkew;
    }

    public bool Enabled => _capacity > 0;

    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// Returns the entry when the cookie was verified before and its access token has not expired (expired entries are
    /// removed), so the caller can read or set its <see cref="Entry.Keys"/>.
    /// </summary>
    public bool TryGetEntry(CookieHash key, DateTimeOffset now, out Entry entry)
    {
        if (_capacity > 0 && _entries.TryGetValue(key, out var found))
        {
            if (now < found.ExpiresAt)
            {
                entry = found;
                return true;
            }

            Remove(key, found);
        }

        entry = null!;
        return false;
    }

    /// <summary>Remembers a verified session until its access token expires.</summary>
    public void Set(string sealedSession, AuthResult auth) => Set(CookieHash.Of(sealedSession), auth);

    /// <summary>As <see cref="Set(string, AuthResult)"/>, with the cookie's hash already computed and an optional <see cref="Entry.Keys"/>.</summary>
    public void Set(CookieHash key, AuthResult auth, RelayKeys? keys = null)
    {
        if (_capacity == 0 || !auth.IsAuthenticated || auth.Claims.ExpiresAt is not { } expiresAt)
        {
            return;
        }

        if (Volatile.Read(ref _count) >= _capacity)
        {
            Trim(DateTimeOffset.MinValue);
        }

        var entry = new Entry(auth, expiresAt + _clockSkew) { Keys = keys };
        _entries.AddOrUpdate(key, static (_, state) => { Interlocked.Increment(ref state.Self._count); return state.Entry; },
            static (_, _, state) => state.Entry, (Self: this, Entry: entry));
    }

    /// <summary>Forgets one cookie.</summary>
    public void Remove(string sealedSession) => Remove(CookieHash.Of(sealedSession));

    /// <summary>Forgets one cookie, by its hash.</summary>
    public void Remove(CookieHash key)
    {
        if (_capacity == 0)
        {
            return;
        }

        if (_entries.TryRemove(key, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>Forgets every cookie of a session (sign-out, refresh).</summary>
    public void RemoveSession(string sessionId)
    {
        if (_capacity == 0 || Volatile.Read(ref _count) == 0)
        {
            return;
        }

        foreach (var (key, entry) in _entries)
        {
            if (string.Equals(entry.Auth.SessionId, sessionId, StringComparison.Ordinal))
            {
                Remove(key, entry);
            }
        }
    }

    /// <summary>Removes expired entries; if still at capacity, drops about a tenth of the rest.</summary>
    internal void Trim(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
            {
                Remove(key, entry);
            }
        }

        var excess = Volatile.Read(ref _count) - (_capacity - Math.Max(1, _capacity / 10));
        if (excess <= 0)
        {
            return;
        }

        foreach (var (key, entry) in _entries)
        {
            if (excess-- <= 0)
            {
                break;
            }

            Remove(key, entry);
        }
    }

    private void Remove(CookieHash key, Entry entry)
    {
        if (_entries.TryRemove(KeyValuePair.Create(key, entry)))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>A cached verification: the session, its expiry (access-token expiry plus clock skew) and its relay keys.</summary>
    internal sealed class Entry(AuthResult auth, DateTimeOffset expiresAt)
    {
        private RelayKeys? _keys;

        /// <summary>The engine's answer for this cookie while it stays fresh (one instance, so a warm request allocates nothing for it).</summary>
        public SessionResolution Resolution { get; } = SessionResolution.Authenticated(auth);

        public AuthResult Auth => Resolution.Auth;

        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        /// <summary>The session's relay and ended-session keys, derived once from <see cref="Auth"/> (set lazily; racing writers store equal values). Default null.</summary>
        public RelayKeys? Keys
        {
            get => Volatile.Read(ref _keys);
            set => Volatile.Write(ref _keys, value);
        }
    }

    /// <summary>
    /// SHA-256 of the cookie, stored inline (no allocation per look-up). ASCII cookies (all real ones) are hashed as
    /// ASCII bytes, anything else as UTF-16; a leading tag byte keeps the two encodings from ever colliding.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal readonly record struct CookieHash(ulong A, ulong B, ulong C, ulong D)
    {
        private const int StackLimit = 4096;

        public static CookieHash Of(string value)
        {
            var chars = value.AsSpan();
            return chars.Length < StackLimit ? OfAscii(chars, stackalloc byte[chars.Length + 1]) ?? OfUtf16(chars) : OfPooled(chars);
        }

        private static CookieHash OfPooled(ReadOnlySpan<char> chars)
        {
            var rented = ArrayPool<byte>.Shared.Rent(chars.Length + 1);
            try
            {
                return OfAscii(chars, rented.AsSpan(0, chars.Length + 1)) ?? OfUtf16(chars);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        private static CookieHash? OfAscii(ReadOnlySpan<char> chars, Span<byte> buffer)
        {
            if (System.Text.Ascii.FromUtf16(chars, buffer[1..], out var written) != OperationStatus.Done)
            {
                return null;
            }

            buffer[0] = 0;
            return FromBytes(buffer[..(written + 1)]);
        }

        private static CookieHash OfUtf16(ReadOnlySpan<char> chars)
        {
            var rented = ArrayPool<byte>.Shared.Rent(1 + chars.Length * 2);
            try
            {
                rented[0] = 1;
                MemoryMarshal.AsBytes(chars).CopyTo(rented.AsSpan(1));
                return FromBytes(rented.AsSpan(0, 1 + chars.Length * 2));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        private static CookieHash FromBytes(ReadOnlySpan<byte> bytes)
        {
            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(bytes, digest);
            var words = MemoryMarshal.Cast<byte, ulong>(digest);
            return new CookieHash(words[0], words[1], words[2], words[3]);
        }

        public override int GetHashCode() => (int)A;
    }
}
