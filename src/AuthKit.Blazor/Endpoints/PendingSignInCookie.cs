using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using AuthKit.Session;

namespace AuthKit.Blazor;

/// <summary>
/// A sign-in waiting for a WorkOS step, sealed (iron, the cookie password, a 10-minute TTL) into the cookie
/// <c>wos-auth-pending-&lt;flow&gt;</c>. Everything the step needs travels in it, so the answer can land on any server; the
/// pending token is only ever in the sealed value.
/// </summary>
internal sealed class PendingSignIn
{
    public const string Purpose = "authkit-pending-sign-in";

    public string P { get; set; } = Purpose;
    public required string Flow { get; set; }
    public required string Kind { get; set; }
    public required string Code { get; set; }
    public required string Token { get; set; }
    public string? Email { get; set; }
    public string? UserId { get; set; }
    public string? UserEmail { get; set; }
    public string? EmailVerificationId { get; set; }
    public List<PendingOrganization> Organizations { get; set; } = [];
    public string? ChallengeId { get; set; }
    public required string ReturnPath { get; set; }
    public string? State { get; set; }
    public string? RedirectUri { get; set; }

    public PendingAuthenticationKind KindValue => Enum.TryParse<PendingAuthenticationKind>(Kind, out var k) ? k : PendingAuthenticationKind.Other;
}

internal sealed class PendingOrganization
{
    public required string Id { get; set; }
    public required string Name { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PendingSignIn))]
internal sealed partial class PendingSignInJsonContext : JsonSerializerContext;

/// <summary>Seals, reads and clears the pending-sign-in cookie.</summary>
internal static class PendingSignInCookie
{
    public const string Prefix = "wos-auth-pending-";

    /// <summary>How long a pending step may take: 10 minutes (WorkOS's pending tokens live as long).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private const int MaxCookieBytes = 3800;

    public static string NewFlowId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>A flow id as this library writes it (24 lowercase hex digits); anything else never names a cookie.</summary>
    public static bool IsFlowId(string? flow) => flow is { Length: 24 } && flow.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    public static string CookieName(string flow) => Prefix + flow;

    /// <summary>The <c>Set-Cookie</c> value, or null when the sealed step does not fit in a cookie.</summary>
    public static string? Seal(PendingSignIn pending, AuthKitOptions options, TimeProvider time)
    {
        var json = JsonSerializer.Serialize(pending, PendingSignInJsonContext.Default.PendingSignIn);
        var sealedValue = IronSeal.Seal(json, options.CookiePassword ?? string.Empty, Lifetime, time);
        var cookie = PkceCookies.GetVerifierCookieOptions(options, pending.RedirectUri) with { MaxAge = Lifetime };
        var header = SetCookieSerializer.Serialize(CookieName(pending.Flow), sealedValue, cookie);
        return Encoding.UTF8.GetByteCount(header) > MaxCookieBytes ? null : header;
    }

    /// <summary>Reads the flow's cookie: null when missing, tampered, expired, or sealed for another flow or purpose.</summary>
    public static PendingSignIn? Read(string? cookieValue, string flow, AuthKitOptions options, TimeProvider time)
    {
        if (string.IsNullOrEmpty(cookieValue) || cookieValue.Length > 4096)
        {
            return null;
        }

        try
        {
            var json = IronSeal.Unseal(cookieValue, options.CookiePassword ?? string.Empty, time);
            var pending = JsonSerializer.Deserialize(json, PendingSignInJsonContext.Default.PendingSignIn);
            return pending is { P: PendingSignIn.Purpose } && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(pending.Flow), Encoding.ASCII.GetBytes(flow))
                ? pending
                : null;
        }
        catch (Exception ex) when (ex is AuthKitException or JsonException or FormatException or ArgumentException or CryptographicException)
        {
            return null;
        }
    }

    public static string Clear(string flow, AuthKitOptions options, string? redirectUri) =>
        SetCookieSerializer.Serialize(CookieName(flow), string.Empty, PkceCookies.GetVerifierCookieOptions(options, redirectUri), expired: true);
}
