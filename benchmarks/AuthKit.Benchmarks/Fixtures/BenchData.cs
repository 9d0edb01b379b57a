using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AuthKit.Session;
using Microsoft.IdentityModel.Tokens;

namespace AuthKit.Benchmarks.Fixtures;

/// <summary>
/// The realistic inputs every benchmark shares: an RS256 key we control (and its JWKS), WorkOS-shaped access tokens,
/// sessions shaped like the npm package writes them (SEAL-FORMAT.md §11) and their sealed cookies (~1.6 KB).
/// </summary>
public sealed class BenchData : IDisposable
{
    public const string CookiePassword = "bench-cookie-password-0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    public const string ClientId = "client_01JBENCH7Q8R9S0T1V2W3X4Y5Z";
    public const string KeyId = "sso_oidc_key_pair_01JBENCHKEY0000000000000000";
    public const string Issuer = "https://api.workos.com";

    private readonly RSA _rsa;

    private BenchData(RSA rsa)
    {
        _rsa = rsa;
        var p = rsa.ExportParameters(includePrivateParameters: false);
        PublicKey = new RsaSecurityKey(p) { KeyId = KeyId };
        JwksJson = JsonSerializer.Serialize(new
        {
            keys = new[]
            {
                new { alg = "RS256", kty = "RSA", use = "sig", kid = KeyId, n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) },
            },
        });
    }

    /// <summary>The public signing key (for the bare <c>JsonWebTokenHandler</c> baseline).</summary>
    public RsaSecurityKey PublicKey { get; }

    /// <summary>The JWKS document served at <c>/sso/jwks/{clientId}</c>.</summary>
    public string JwksJson { get; }

    /// <summary>The options every AuthKit benchmark uses.</summary>
    public static AuthKitOptions CreateOptions() => new()
    {
        ClientId = ClientId,
        ApiKey = "sk_test_bench",
        RedirectUri = "https://app.example.com/callback",
        CookiePassword = CookiePassword,
        ApiHostname = "api.workos.invalid",
    };

    public static BenchData Create() => new(RSA.Create(2048));

    /// <summary>A WorkOS-shaped RS256 access token; <paramref name="index"/> makes <c>sid</c>/<c>jti</c> (so the token) distinct.</summary>
    public string CreateAccessToken(int index, DateTimeOffset issuedAt, TimeSpan lifetime)
    {
        var header = $$"""{"alg":"RS256","kid":"{{KeyId}}"}""";
        var payload = $$"""
            {"iss":"{{Issuer}}","sub":"user_01JABCDEFGH0123456789KLMNP","sid":"session_01JBENCH{{index:D18}}","jti":"01JBENCHJTI{{index:D15}}","org_id":"org_01JACMECORP000000000000","role":"admin","roles":["admin"],"permissions":["posts:read","posts:write"],"exp":{{(issuedAt + lifetime).ToUnixTimeSeconds()}},"iat":{{issuedAt.ToUnixTimeSeconds()}}}
            """;
        var signingInput = Base64UrlEncoder.Encode(header) + "." + Base64UrlEncoder.Encode(payload);
        var signature = _rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64UrlEncoder.Encode(signature);
    }

    /// <summary>A session as the npm package seals it (user built by <c>deserializeUser</c>, no impersonator).</summary>
    public static AuthKit.Session.Session CreateSession(int index, string accessToken) => new()
    {
        AccessToken = accessToken,
        RefreshToken = "Zr2kT9uYbXq4mW7nLp0s" + index.ToString("D12", System.Globalization.CultureInfo.InvariantCulture),
        User = new WorkOSUser
        {
            Id = "user_01JABCDEFGH0123456789KLMNP",
            Email = "ada.lovelace@example.com",
            EmailVerified = true,
            Name = null,
            FirstName = "Ada",
            ProfilePictureUrl = "https://workoscdn.com/images/v1/abc123.png",
            LastName = "Lovelace",
            LastSignInAt = "2025-06-01T12:34:56.789Z",
            Locale = "en-GB",
            CreatedAt = "2024-01-02T03:04:05.678Z",
            UpdatedAt = "2025-06-01T12:34:56.789Z",
            ExternalId = "ext-42",
            Metadata = JsonDocument.Parse("""{"plan":"pro","team":"analytics"}""").RootElement.Clone(),
        },
    };

    /// <summary>Distinct valid sealed cookies (each with its own token), issued now and valid for <paramref name="lifetime"/>.</summary>
    public string[] CreateCookies(int count, TimeSpan lifetime, int firstIndex = 0)
    {
        var encryption = new SessionEncryption();
        var now = DateTimeOffset.UtcNow;
        var cookies = new string[count];
        for (var i = 0; i < count; i++)
        {
            cookies[i] = encryption.SealSession(CreateSession(firstIndex + i, CreateAccessToken(firstIndex + i, now, lifetime)), CookiePassword);
        }

        return cookies;
    }

    public void Dispose() => _rsa.Dispose();
}
