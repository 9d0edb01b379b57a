using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace AuthKit.Session;

/// <summary>Reads access-token claims without verifying the signature (for expiry checks and display only).</summary>
public static class AccessTokens
{
    private const int MaxTokenLength = 16 * 1024;

    /// <summary>Parses the claims of a JWT without verifying it. Throws <see cref="AuthKitException"/> when it is not a well-formed JWT.</summary>
    public static AccessTokenClaims ParseUnverified(string jwt) =>
        TryParseUnverified(jwt, out var claims)
            ? claims
            : throw new AuthKitException("The access token is not a well-formed JWT.");

    /// <summary>Parses the claims of a JWT without verifying it; false when it is not a well-formed JWT.</summary>
    internal static bool TryParseUnverified(string? jwt, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AccessTokenClaims? claims)
    {
        claims = null;
        if (string.IsNullOrEmpty(jwt) || jwt.Length > MaxTokenLength)
        {
            return false;
        }

        var first = jwt.IndexOf('.');
        var second = first < 0 ? -1 : jwt.IndexOf('.', first + 1);
        if (first <= 0 || second < 0 || jwt.IndexOf('.', second + 1) >= 0)
        {
            return false;
        }

        var encoded = jwt.AsSpan(first + 1, second - first - 1);
        var maxLength = System.Buffers.Text.Base64Url.GetMaxDecodedLength(encoded.Length);
        var rented = ArrayPool<byte>.Shared.Rent(Math.Max(1, maxLength));
        try
        {
            if (System.Buffers.Text.Base64Url.DecodeFromChars(encoded, rented, out var consumed, out var written) != OperationStatus.Done || consumed != encoded.Length)
            {
                return false;
            }

            // ParseValue copies into memory the element owns (no pooled document to clone afterwards).
            var reader = new Utf8JsonReader(rented.AsSpan(0, written));
            var payload = JsonElement.ParseValue(ref reader);
            if (payload.ValueKind != JsonValueKind.Object || reader.Read())
            {
                return false; // not an object, or trailing content
            }

            claims = new AccessTokenClaims(payload, clone: false);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// True when the token expires within <paramref name="buffer"/> from now (<c>exp - now &lt;= buffer</c>).
    /// A token without <c>exp</c> never expires (as in the npm package); a malformed token counts as expiring.
    /// </summary>
    public static bool IsTokenExpiring(string jwt, TimeSpan buffer, TimeProvider? timeProvider = null)
    {
        if (!TryParseUnverified(jwt, out var claims))
        {
            return true;
        }

        return IsExpiring(claims, buffer, timeProvider ?? TimeProvider.System);
    }

    internal static bool IsExpiring(AccessTokenClaims claims, TimeSpan buffer, TimeProvider timeProvider) =>
        claims.ExpiresAt is { } expiresAt && expiresAt - timeProvider.GetUtcNow() <= buffer;
}
