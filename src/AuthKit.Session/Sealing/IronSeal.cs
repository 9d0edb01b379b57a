using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AuthKit.Session.Json;

namespace AuthKit.Session;

/// <summary>
/// Seals and unseals JSON in the iron format written by the npm package <c>@workos/authkit-session</c> 0.7.1
/// (<c>Fe26.2*1*salt*iv*ciphertext*expiration*salt*hmac~2</c>): PBKDF2-SHA1 (1 iteration) keys, AES-256-CBC, HMAC-SHA256.
/// A .NET app and a Node app sharing the cookie password read each other's cookies.
/// </summary>
public static class IronSeal
{
    /// <summary>The iron format prefix, <c>Fe26.2</c>.</summary>
    public const string MacPrefix = "Fe26.2";

    /// <summary>Minimum password length in UTF-16 code units: 32.</summary>
    public const int MinimumPasswordLength = 32;

    internal const long TimestampSkewMs = 60_000;
    private const int SaltBytes = 32;
    private const int SaltHexLength = 64;
    private const int IvBytes = 16;
    private const int KeyBytes = 32;
    private const int HmacBytes = 32;
    private const int StackLimit = 512;

    /// <summary>Fills the span with random bytes (the seal draws IV 16, encryption salt 32, HMAC salt 32 in that order).</summary>
    internal delegate void RandomSource(Span<byte> destination);

    private static readonly RandomSource SystemRandom = RandomNumberGenerator.Fill;

    [ThreadStatic]
    private static Aes? t_aes;

    /// <summary>
    /// Seals JSON text. The text is parsed and re-serialized the way <c>JSON.stringify</c> would, so the plaintext is exactly
    /// what the npm package seals for the same value.
    /// </summary>
    /// <param name="json">JSON text of the value to seal.</param>
    /// <param name="password">Password, at least 32 characters.</param>
    /// <param name="ttl">Lifetime; <see cref="TimeSpan.Zero"/> for a seal that never expires. Whole milliseconds.</param>
    /// <param name="timeProvider">Clock for the expiration; default <see cref="TimeProvider.System"/>.</param>
    /// <returns>The seal, ending in <c>~2</c>.</returns>
    /// <exception cref="SessionEncryptionException">Empty or short password, or text that is not JSON.</exception>
    public static string Seal(string json, string password, TimeSpan ttl, TimeProvider? timeProvider = null) =>
        Seal(json, password, ttl, timeProvider, SystemRandom);

    /// <summary><see cref="Seal(string, string, TimeSpan, TimeProvider?)"/> with injected randomness (tests reproduce recorded seals).</summary>
    internal static string Seal(string json, string password, TimeSpan ttl, TimeProvider? timeProvider, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(json);
        long ttlMs = ToTtlMilliseconds(ttl);
        long now = NowMs(timeProvider);
        if (string.IsNullOrEmpty(password)) throw Failure(SessionEncryptionFailureReason.PasswordMissing, "Empty password");
        JsNode value;
        try
        {
            value = JsJson.Parse(json);
        }
        catch (JsJsonParseException ex)
        {
            throw Failure(SessionEncryptionFailureReason.InvalidJson, "Data is not JSON serializable", ex);
        }
        using var plaintext = new PooledUtf8Buffer(json.Length + 16);
        JsJson.Write(plaintext, value);
        return SealUtf8(plaintext.WrittenSpan, password, ttlMs, now, random);
    }

    /// <summary>
    /// Unseals a seal and returns the payload's JSON (in <c>JSON.stringify</c> form). Suffix rule of the npm package:
    /// <c>~2</c> or no suffix return the payload; any other suffix returns its <c>persistent</c> member (or <c>{}</c>).
    /// </summary>
    /// <param name="seal">The seal (cookie value).</param>
    /// <param name="password">Password, at least 32 characters.</param>
    /// <param name="timeProvider">Clock for the expiration check; default <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="SessionEncryptionException">Any failure; nothing partially verified is returned.</exception>
    public static string Unseal(string seal, string password, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(seal);
        JsNode value = UnsealToNode(seal, password, NowMs(timeProvider));
        return JsJson.Stringify(value);
    }

    internal static long NowMs(TimeProvider? timeProvider) => (timeProvider ?? TimeProvider.System).GetUtcNow().ToUnixTimeMilliseconds();

    internal static long ToTtlMilliseconds(TimeSpan ttl)
    {
        if (ttl < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ttl), "The lifetime cannot be negative.");
        if (ttl.Ticks % TimeSpan.TicksPerMillisecond != 0)
            throw new ArgumentOutOfRangeException(nameof(ttl), "The lifetime must be whole milliseconds (a fractional expiration would never unseal).");
        return ttl.Ticks / TimeSpan.TicksPerMillisecond;
    }

    /// <summary>Unseals to a <see cref="JsNode"/> after the suffix rule.</summary>
    internal static JsNode UnsealToNode(string seal, string password, long nowMs)
    {
        using UnsealedPlaintext plaintext = UnsealCore(seal, password, nowMs);
        JsNode value = ParsePlaintext(plaintext.Span);
        return plaintext.UsePersistent ? SpreadPersistent(value) : value;
    }

    internal static JsNode ParsePlaintext(ReadOnlySpan<byte> plaintext)
    {
        string text = DecodeUtf8(plaintext);
        try
        {
            return JsJson.Parse(text);
        }
        catch (JsJsonParseException ex)
        {
            throw Failure(SessionEncryptionFailureReason.InvalidJson, "Failed parsing sealed object JSON: " + ex.Message, ex);
        }
    }

    internal static JsNode SpreadPersistent(JsNode value)
    {
        try
        {
            return JsJson.SpreadPersistent(value);
        }
        catch (InvalidOperationException ex)
        {
            throw Failure(SessionEncryptionFailureReason.InvalidPayload, ex.Message, ex);
        }
    }

    /// <summary><c>TextDecoder</c>: UTF-8 with U+FFFD replacement and a leading BOM stripped.</summary>
    internal static string DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("\uFEFF"u8)) bytes = bytes[3..];
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Seals UTF-8 plaintext that is already in <c>JSON.stringify</c> form.</summary>
    internal static string SealUtf8(ReadOnlySpan<byte> plaintext, string password, long ttlMs, long nowMs, RandomSource? random = null)
    {
        random ??= SystemRandom;
        if (string.IsNullOrEmpty(password)) throw Failure(SessionEncryptionFailureReason.PasswordMissing, "Empty password");

        Span<byte> iv = stackalloc byte[IvBytes];
        random(iv);
        if (password.Length < MinimumPasswordLength) throw PasswordTooShort();

        Span<byte> salts = stackalloc byte[SaltBytes];
        Span<byte> encSaltHex = stackalloc byte[SaltHexLength];
        Span<byte> hmacSaltHex = stackalloc byte[SaltHexLength];
        Span<byte> key = stackalloc byte[KeyBytes];

        int passwordByteCount = Encoding.UTF8.GetByteCount(password);
        byte[]? rentedPassword = null;
        Span<byte> passwordBytes = passwordByteCount <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rentedPassword = ArrayPool<byte>.Shared.Rent(passwordByteCount));
        passwordBytes = passwordBytes[..Encoding.UTF8.GetBytes(password, passwordBytes)];

        int cipherLength = (plaintext.Length / 16 + 1) * 16;
        string expiration = ttlMs != 0 ? (nowMs + ttlMs).ToString(CultureInfo.InvariantCulture) : "";
        int cipherB64Length = IronBase64.GetEncodedLength(cipherLength);
        int macBaseLength = MacPrefix.Length + 3 + SaltHexLength + 1 + 22 + 1 + cipherB64Length + 1 + expiration.Length;
        int totalLength = macBaseLength + 1 + SaltHexLength + 1 + 43 + 2;
        byte[] cipher = ArrayPool<byte>.Shared.Rent(cipherLength);
        byte[] output = ArrayPool<byte>.Shared.Rent(totalLength);
        try
        {
            random(salts);
            WriteHex(salts, encSaltHex);
            DeriveKey(passwordBytes, encSaltHex, key);
            Aes aes = t_aes ??= Aes.Create();
            aes.SetKey(key);
            int written = aes.EncryptCbc(plaintext, iv, cipher, PaddingMode.PKCS7);

            Span<byte> o = output.AsSpan(0, totalLength);
            int p = 0;
            p += Encoding.ASCII.GetBytes("Fe26.2*1*", o[p..]);
            encSaltHex.CopyTo(o[p..]);
            p += SaltHexLength;
            o[p++] = (byte)'*';
            p += IronBase64.Encode(iv, o[p..]);
            o[p++] = (byte)'*';
            p += IronBase64.Encode(cipher.AsSpan(0, written), o[p..]);
            o[p++] = (byte)'*';
            p += Encoding.ASCII.GetBytes(expiration, o[p..]);
            int macBaseEnd = p;

            random(salts);
            WriteHex(salts, hmacSaltHex);
            DeriveKey(passwordBytes, hmacSaltHex, key);
            Span<byte> mac = stackalloc byte[HmacBytes];
            HMACSHA256.HashData(key, o[..macBaseEnd], mac);

            o[p++] = (byte)'*';
            hmacSaltHex.CopyTo(o[p..]);
            p += SaltHexLength;
            o[p++] = (byte)'*';
            p += IronBase64.Encode(mac, o[p..]);
            o[p++] = (byte)'~';
            o[p++] = (byte)'2';
            return Encoding.ASCII.GetString(o[..p]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(passwordBytes);
            if (rentedPassword is not null) ArrayPool<byte>.Shared.Return(rentedPassword);
            ArrayPool<byte>.Shared.Return(cipher, clearArray: true);
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    /// <summary>The decrypted plaintext in a pooled buffer (cleared on dispose) plus the suffix rule to apply.</summary>
    internal readonly struct UnsealedPlaintext(byte[] buffer, int length, bool usePersistent) : IDisposable
    {
        public ReadOnlySpan<byte> Span => buffer.AsSpan(0, length);

        /// <summary>True when the suffix is not <c>~2</c> (nor absent): the result is <c>{ ...data.persistent }</c>.</summary>
        public bool UsePersistent => usePersistent;

        public void Dispose() => ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
    }

    /// <summary>Verifies and decrypts in the exact order of iron-webcrypto 2.0.0 / authkit-session 0.7.1 (SEAL-FORMAT.md §9).</summary>
    internal static UnsealedPlaintext UnsealCore(string seal, string password, long nowMs)
    {
        // 1. authkit: split on '~', keep piece 0 (body) and piece 1 (version).
        ReadOnlySpan<char> all = seal;
        int tilde = all.IndexOf('~');
        ReadOnlySpan<char> body = tilde < 0 ? all : all[..tilde];
        bool usePersistent = false;
        if (tilde >= 0)
        {
            ReadOnlySpan<char> rest = all[(tilde + 1)..];
            int next = rest.IndexOf('~');
            usePersistent = !IsJsParseIntTwo(next < 0 ? rest : rest[..next]);
        }

        // 2. exactly 8 components.
        Span<Range> parts = stackalloc Range[9];
        if (body.Split(parts, '*') != 8) throw Failure(SessionEncryptionFailureReason.Malformed, "Incorrect number of sealed components");
        ReadOnlySpan<char> prefix = body[parts[0]];
        ReadOnlySpan<char> passwordId = body[parts[1]];
        ReadOnlySpan<char> encryptionSalt = body[parts[2]];
        ReadOnlySpan<char> ivB64 = body[parts[3]];
        ReadOnlySpan<char> encryptedB64 = body[parts[4]];
        ReadOnlySpan<char> expiration = body[parts[5]];
        ReadOnlySpan<char> hmacSalt = body[parts[6]];
        ReadOnlySpan<char> hmacDigestB64 = body[parts[7]];

        // 3. prefix.
        if (!prefix.SequenceEqual(MacPrefix)) throw Failure(SessionEncryptionFailureReason.Malformed, "Wrong mac prefix");

        // 4. expiration, before any password work.
        if (!expiration.IsEmpty)
        {
            if (!IsPositiveInteger(expiration)) throw Failure(SessionEncryptionFailureReason.Malformed, "Invalid expiration");
            double exp = double.Parse(expiration, NumberStyles.None, CultureInfo.InvariantCulture);
            if (exp <= nowMs - TimestampSkewMs) throw Failure(SessionEncryptionFailureReason.Expired, "Expired seal");
        }

        // 5. password lookup in { 1: password }.
        if (!passwordId.SequenceEqual("1"))
        {
            string id = passwordId.IsEmpty ? "default" : passwordId.ToString();
            if (IsObjectPrototypeMember(id)) throw Failure(SessionEncryptionFailureReason.PasswordMissing, "Empty password");
            throw Failure(SessionEncryptionFailureReason.PasswordMissing, "Cannot find password: " + Truncate(id));
        }
        if (string.IsNullOrEmpty(password)) throw Failure(SessionEncryptionFailureReason.PasswordMissing, "Cannot find password: 1");

        // 6. length.
        if (password.Length < MinimumPasswordLength) throw PasswordTooShort();

        int passwordByteCount = Encoding.UTF8.GetByteCount(password);
        byte[]? rentedPassword = null;
        Span<byte> passwordBytes = passwordByteCount <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rentedPassword = ArrayPool<byte>.Shared.Rent(passwordByteCount));
        passwordBytes = passwordBytes[..Encoding.UTF8.GetBytes(password, passwordBytes)];
        Span<byte> key = stackalloc byte[KeyBytes];
        byte[]? scratch = null;
        byte[]? plain = null;
        try
        {
            // 7. HMAC over fields 0-5 exactly as they appear.
            int macBaseLength = parts[5].End.GetOffset(body.Length);
            ReadOnlySpan<char> macBase = body[..macBaseLength];
            int scratchSize = Math.Max(Encoding.UTF8.GetMaxByteCount(macBase.Length), IronBase64.GetMaxDecodedLength(encryptedB64.Length + 4));
            scratch = ArrayPool<byte>.Shared.Rent(Math.Max(scratchSize, 64));

            Span<byte> digest = stackalloc byte[IronBase64.GetMaxDecodedLength(Math.Min(hmacDigestB64.Length + 4, 256))];
            bool verified = false;
            if (!hmacSalt.IsEmpty)
            {
                DeriveKey(passwordBytes, hmacSalt, key);
            }
            int digestLength = hmacDigestB64.Length + 4 > 256
                ? -2 // far too long to be a 32-byte digest: decode below only to report invalid characters
                : IronBase64.DecodeLenient(hmacDigestB64, digest);
            if (digestLength == -2)
            {
                byte[] big = ArrayPool<byte>.Shared.Rent(IronBase64.GetMaxDecodedLength(hmacDigestB64.Length + 4));
                digestLength = IronBase64.DecodeLenient(hmacDigestB64, big);
                ArrayPool<byte>.Shared.Return(big);
                if (digestLength >= 0) digestLength = -3; // valid base64 but wrong length: plain mismatch
            }
            if (digestLength == -1) throw Failure(SessionEncryptionFailureReason.Malformed, "Invalid character");
            if (!hmacSalt.IsEmpty && digestLength >= 0)
            {
                int macBaseBytes = Encoding.UTF8.GetBytes(macBase, scratch);
                Span<byte> computed = stackalloc byte[HmacBytes];
                HMACSHA256.HashData(key, scratch.AsSpan(0, macBaseBytes), computed);
                verified = CryptographicOperations.FixedTimeEquals(computed, digest[..digestLength]);
            }
            if (!verified) throw Failure(SessionEncryptionFailureReason.HmacMismatch, "Bad hmac value");

            // 8. decode iv and ciphertext, derive the encryption key, decrypt.
            Span<byte> iv = stackalloc byte[IronBase64.GetMaxDecodedLength(Math.Min(ivB64.Length + 4, 64))];
            int ivLength = ivB64.Length + 4 > 64 ? DecodeLongIvLength(ivB64) : IronBase64.DecodeLenient(ivB64, iv);
            if (ivLength == -1) throw Failure(SessionEncryptionFailureReason.Malformed, "Invalid character");
            int cipherLength = IronBase64.DecodeLenient(encryptedB64, scratch);
            if (cipherLength == -1) throw Failure(SessionEncryptionFailureReason.Malformed, "Invalid character");
            if (ivLength != IvBytes) throw Failure(SessionEncryptionFailureReason.DecryptionFailed, "algorithm.iv must contain exactly 16 bytes");
            if (encryptionSalt.IsEmpty || cipherLength == 0 || cipherLength % 16 != 0) throw OperationFailed();

            DeriveKey(passwordBytes, encryptionSalt, key);
            plain = ArrayPool<byte>.Shared.Rent(cipherLength);
            Aes aes = t_aes ??= Aes.Create();
            aes.SetKey(key);
            int plainLength;
            try
            {
                plainLength = aes.DecryptCbc(scratch.AsSpan(0, cipherLength), iv[..IvBytes], plain, PaddingMode.PKCS7);
            }
            catch (CryptographicException ex)
            {
                throw OperationFailed(ex);
            }
            var result = new UnsealedPlaintext(plain, plainLength, usePersistent);
            plain = null;
            return result;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(passwordBytes);
            if (rentedPassword is not null) ArrayPool<byte>.Shared.Return(rentedPassword);
            if (scratch is not null) ArrayPool<byte>.Shared.Return(scratch, clearArray: true);
            if (plain is not null) ArrayPool<byte>.Shared.Return(plain, clearArray: true);
        }
    }

    private static int DecodeLongIvLength(ReadOnlySpan<char> ivB64)
    {
        byte[] big = ArrayPool<byte>.Shared.Rent(IronBase64.GetMaxDecodedLength(ivB64.Length + 4));
        int n = IronBase64.DecodeLenient(ivB64, big);
        ArrayPool<byte>.Shared.Return(big);
        return n;
    }

    /// <summary>PBKDF2-HMAC-SHA1, 1 iteration, salt = UTF-8 of the salt TEXT (SEAL-FORMAT.md §3).</summary>
    private static void DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> saltText, Span<byte> key) =>
        Rfc2898DeriveBytes.Pbkdf2(password, saltText, key, 1, HashAlgorithmName.SHA1);

    private static void DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<char> saltText, Span<byte> key)
    {
        int max = Encoding.UTF8.GetMaxByteCount(saltText.Length);
        byte[]? rented = null;
        Span<byte> salt = max <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(max));
        int n = Encoding.UTF8.GetBytes(saltText, salt);
        DeriveKey(password, salt[..n], key);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
    }

    private static void WriteHex(ReadOnlySpan<byte> bytes, Span<byte> hex)
    {
        ReadOnlySpan<byte> digits = "0123456789abcdef"u8;
        for (int i = 0; i < bytes.Length; i++)
        {
            hex[2 * i] = digits[bytes[i] >> 4];
            hex[2 * i + 1] = digits[bytes[i] & 0xF];
        }
    }

    /// <summary><c>/^[1-9]\d*$/</c>.</summary>
    private static bool IsPositiveInteger(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || text[0] is < '1' or > '9') return false;
        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c)) return false;
        }
        return true;
    }

    /// <summary>Whether JavaScript's <c>parseInt(text, 10)</c> is exactly 2.</summary>
    internal static bool IsJsParseIntTwo(ReadOnlySpan<char> text)
    {
        int i = 0;
        while (i < text.Length && IsJsWhitespace(text[i])) i++;
        if (i < text.Length && text[i] == '+') i++;
        else if (i < text.Length && text[i] == '-') return false; // -2 or -0...: never 2
        while (i < text.Length && text[i] == '0') i++;
        return i < text.Length && text[i] == '2' && (i + 1 >= text.Length || !char.IsAsciiDigit(text[i + 1]));
    }

    private static bool IsJsWhitespace(char c) =>
        c is '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or '\u00A0' or '\uFEFF' or '\u2028' or '\u2029'
        || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.SpaceSeparator;

    private static readonly HashSet<string> ObjectPrototypeMembers = new(StringComparer.Ordinal)
    {
        "constructor", "__defineGetter__", "__defineSetter__", "hasOwnProperty", "__lookupGetter__", "__lookupSetter__",
        "isPrototypeOf", "propertyIsEnumerable", "toString", "valueOf", "__proto__", "toLocaleString",
    };

    private static bool IsObjectPrototypeMember(string id) => ObjectPrototypeMembers.Contains(id);

    private static string Truncate(string id) => id.Length <= 64 ? id : id[..64] + "...";

    private static SessionEncryptionException PasswordTooShort() =>
        Failure(SessionEncryptionFailureReason.PasswordTooShort, "Password string too short (min 32 characters required)");

    private static SessionEncryptionException OperationFailed(Exception? inner = null) =>
        Failure(SessionEncryptionFailureReason.DecryptionFailed, "The operation failed for an operation-specific reason", inner);

    internal static SessionEncryptionException Failure(SessionEncryptionFailureReason reason, string message, Exception? inner = null) =>
        new(reason, message, inner);
}
