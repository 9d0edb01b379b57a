using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace AuthKit.Testing;

/// <summary>
/// RFC 6238 time-based one-time passwords as authenticator apps compute them (HMAC-SHA1, 30-second steps, 6 digits),
/// for seeded <see cref="EmulatorUser.TotpSecret"/> values: a test computes the code the emulator expects.
/// </summary>
public static class EmulatorTotp
{
    /// <summary>The step length: 30 seconds.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>The 6-digit code for <paramref name="base32Secret"/> at <paramref name="time"/>.</summary>
    /// <param name="base32Secret">The shared secret in base32 (RFC 4648; case, spaces and padding ignored).</param>
    /// <param name="time">The moment (use the emulator's clock: <c>TimeProvider</c> plus its offset).</param>
    /// <returns>Six decimal digits.</returns>
    /// <exception cref="ArgumentException">The secret is empty or not base32.</exception>
    public static string ComputeCode(string base32Secret, DateTimeOffset time)
    {
        var key = DecodeBase32(base32Secret);
        return ComputeCode(key, time.ToUnixTimeSeconds() / (long)Step.TotalSeconds);
    }

    /// <summary>Whether <paramref name="code"/> is the code of the step at <paramref name="time"/> or of one step either side.</summary>
    internal static bool Verify(string base32Secret, string code, DateTimeOffset time)
    {
        if (code is not { Length: 6 } || !code.All(char.IsAsciiDigit))
        {
            return false;
        }

        var key = DecodeBase32(base32Secret);
        var counter = time.ToUnixTimeSeconds() / (long)Step.TotalSeconds;
        var match = false;
        for (var delta = -1; delta <= 1; delta++)
        {
            match |= CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.ASCII.GetBytes(ComputeCode(key, counter + delta)), System.Text.Encoding.ASCII.GetBytes(code));
        }

        return match;
    }

    /// <summary>Whether <paramref name="value"/> is a usable base32 secret (at least 10 bytes).</summary>
    internal static bool IsValidSecret(string? value)
    {
        try
        {
            return value is not null && DecodeBase32(value).Length >= 10;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string ComputeCode(byte[] key, long counter)
    {
        Span<byte> message = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(message, counter);
        Span<byte> hash = stackalloc byte[20];
        HMACSHA1.HashData(key, message, hash);
        var offset = hash[19] & 0x0F;
        var binary = ((hash[offset] & 0x7F) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
    }

    private static byte[] DecodeBase32(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var output = new List<byte>(text.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var raw in text)
        {
            if (raw is ' ' or '=' or '-')
            {
                continue;
            }

            var index = Base32Alphabet.IndexOf(char.ToUpperInvariant(raw), StringComparison.Ordinal);
            if (index < 0)
            {
                throw new ArgumentException("The TOTP secret is not base32 (A-Z, 2-7).", nameof(text));
            }

            buffer = (buffer << 5) | index;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                output.Add((byte)((buffer >> bits) & 0xFF));
            }
        }

        if (output.Count == 0)
        {
            throw new ArgumentException("The TOTP secret is empty.", nameof(text));
        }

        return [.. output];
    }
}
