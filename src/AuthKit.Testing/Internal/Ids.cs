using System.Security.Cryptography;
using System.Text;

namespace AuthKit.Testing.Internal;

/// <summary>Random identifiers and secrets.</summary>
internal static class Ids
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>A WorkOS-style id: prefix + 26 upper-case base32 characters.</summary>
    public static string New(string prefix)
    {
        Span<byte> bytes = stackalloc byte[26];
        RandomNumberGenerator.Fill(bytes);
        var sb = new StringBuilder(prefix.Length + 26).Append(prefix);
        foreach (var b in bytes)
        {
            sb.Append(Crockford[b & 31]);
        }

        return sb.ToString();
    }

    /// <summary>An opaque secret (codes, refresh tokens): 32 random bytes, base64url.</summary>
    public static string Secret()
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url(bytes);
    }

    /// <summary>A random string of decimal digits (email verification codes).</summary>
    public static string Digits(int count) =>
        string.Create(count, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
            }
        });

    public static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>BASE64URL(SHA256(verifier)), the S256 code challenge.</summary>
    public static string S256(string verifier) => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>Constant-time string comparison.</summary>
    public static bool FixedTimeEquals(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
    }

    /// <summary>A short, non-reversible fingerprint of a secret for logs: length and 6 hex chars of its SHA-256.</summary>
    public static string Fingerprint(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return "(none)";
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        return $"len={secret.Length},sha256:{Convert.ToHexStringLower(hash.AsSpan(0, 3))}";
    }
}
