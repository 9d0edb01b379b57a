using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AuthKit.Session.Json;

namespace AuthKit.Session;

/// <summary>
/// Default <see cref="ISessionEncryption"/>: the npm package's iron seals (<see cref="IronSeal"/>) with its JSON layout, so
/// cookies written by a Node AuthKit app and by this library are interchangeable.
/// </summary>
public sealed class SessionEncryption : ISessionEncryption
{
    /// <summary>Lifetime of sealed PKCE state: 600 s (also the verifier cookie's Max-Age).</summary>
    public static readonly TimeSpan StateLifetime = TimeSpan.FromSeconds(PkceCookies.MaxAgeSeconds);

    /// <summary>Allowance for an <c>issuedAt</c> in the future (another server's clock ahead): 60 s.</summary>
    public static readonly TimeSpan StateClockSkew = TimeSpan.FromSeconds(60);

    private readonly TimeProvider _timeProvider;
    private readonly IronSeal.RandomSource? _random;

    /// <summary>Creates the encryption with a clock (default <see cref="TimeProvider.System"/>).</summary>
    public SessionEncryption(TimeProvider? timeProvider = null) : this(timeProvider, null) { }

    internal SessionEncryption(TimeProvider? timeProvider, IronSeal.RandomSource? random)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        _random = random;
    }

    /// <inheritdoc />
    public string SealSession(Session session, string password)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var plaintext = new PooledUtf8Buffer(2048);
        SessionJsonWriter.Write(plaintext, session);
        return IronSeal.SealUtf8(plaintext.WrittenSpan, password, 0, IronSeal.NowMs(_timeProvider), _random);
    }

    /// <inheritdoc />
    /// <exception cref="SessionEncryptionException">Any failure, with the category in <see cref="SessionEncryptionException.Reason"/>.</exception>
    public Session UnsealSession(string sealedSession, string password)
    {
        ArgumentNullException.ThrowIfNull(sealedSession);
        try
        {
            return Unseal(sealedSession, password, SessionJsonContext.Default.Session);
        }
        catch (SessionEncryptionException ex)
        {
            throw new SessionEncryptionException(ex.Reason, $"Failed to decrypt session ({ex.Reason}). The cookie is ignored; the user signs in again.", ex);
        }
    }

    /// <inheritdoc />
    public string SealState(PkceState state, string password)
    {
        ArgumentNullException.ThrowIfNull(state);
        long now = IronSeal.NowMs(_timeProvider);
        var stamped = new PkceState
        {
            Nonce = state.Nonce,
            CodeVerifier = state.CodeVerifier,
            ReturnPathname = state.ReturnPathname,
            CustomState = state.CustomState,
            RedirectUri = state.RedirectUri,
            IssuedAt = now,
        };
        using var plaintext = new PooledUtf8Buffer(512);
        SessionJsonWriter.Write(plaintext, stamped);
        return IronSeal.SealUtf8(plaintext.WrittenSpan, password, PkceCookies.MaxAgeSeconds * 1000L, now, _random);
    }

    /// <inheritdoc />
    /// <exception cref="PkceStateException">Unsealable, malformed or expired state.</exception>
    public PkceState UnsealState(string sealedState, string password)
    {
        ArgumentNullException.ThrowIfNull(sealedState);
        PkceState state;
        try
        {
            state = Unseal(sealedState, password, SessionJsonContext.Default.PkceState);
        }
        catch (SessionEncryptionException ex) when (ex.Reason == SessionEncryptionFailureReason.InvalidPayload)
        {
            throw new PkceStateException(PkceStateFailureReason.Malformed, "Malformed PKCE state payload.", ex);
        }
        catch (SessionEncryptionException ex)
        {
            throw new PkceStateException(PkceStateFailureReason.Unsealable, $"Failed to unseal PKCE state ({ex.Reason}).", ex);
        }

        long ageMs = IronSeal.NowMs(_timeProvider) - state.IssuedAt;
        if (ageMs < -(long)StateClockSkew.TotalMilliseconds || ageMs > PkceCookies.MaxAgeSeconds * 1000L)
        {
            throw new PkceStateException(
                PkceStateFailureReason.Expired,
                $"PKCE state expired (age={ageMs}ms, maxAge={PkceCookies.MaxAgeSeconds * 1000}ms, skew=±{(long)StateClockSkew.TotalMilliseconds}ms). Start the sign-in again.");
        }
        return state;
    }

    private T Unseal<T>(string seal, string password, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        using IronSeal.UnsealedPlaintext plaintext = IronSeal.UnsealCore(seal, password, IronSeal.NowMs(_timeProvider));
        if (!plaintext.UsePersistent)
        {
            // Fast path: the plaintext a JavaScript or .NET writer produced is valid UTF-8 JSON; read it directly.
            ReadOnlySpan<byte> utf8 = plaintext.Span;
            if (utf8.StartsWith("\uFEFF"u8)) utf8 = utf8[3..];
            try
            {
                T? fast = JsonSerializer.Deserialize(utf8, typeInfo);
                if (fast is not null) return fast;
            }
            catch (JsonException)
            {
                // Fall through to the exact JavaScript semantics below (replacement of invalid UTF-8, schema errors).
            }
        }

        // Slow path: decode and parse as JSON.parse would, apply the suffix rule, then read the JavaScript-normal form.
        JsNode value = IronSeal.ParsePlaintext(plaintext.Span);
        if (plaintext.UsePersistent) value = IronSeal.SpreadPersistent(value);
        using var canonical = new PooledUtf8Buffer(plaintext.Span.Length + 16);
        JsJson.Write(canonical, value);
        try
        {
            return JsonSerializer.Deserialize(canonical.WrittenSpan, typeInfo)
                ?? throw new JsonException("null payload");
        }
        catch (JsonException ex)
        {
            throw IronSeal.Failure(SessionEncryptionFailureReason.InvalidPayload, $"The sealed payload is not a valid {typeof(T).Name}.", ex);
        }
    }
}
