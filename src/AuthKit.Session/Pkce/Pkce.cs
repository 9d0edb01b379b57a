using System.Security.Cryptography;
using System.Text;

namespace AuthKit.Session;

/// <summary>PKCE (RFC 7636) values: a 43-character base64url verifier, its S256 challenge, and a random nonce.</summary>
internal static class Pkce
{
    /// <summary>The challenge method AuthKit uses: <c>S256</c>.</summary>
    public const string CodeChallengeMethod = "S256";

    /// <summary>A new code verifier: 32 random bytes, base64url without padding (43 characters).</summary>
    public static string CreateCodeVerifier()
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        string verifier = IronBase64.Encode(bytes);
        CryptographicOperations.ZeroMemory(bytes);
        return verifier;
    }

    /// <summary>The S256 challenge: base64url (no padding) of SHA-256 over the verifier's ASCII bytes.</summary>
    public static string CreateCodeChallenge(string codeVerifier)
    {
        ArgumentException.ThrowIfNullOrEmpty(codeVerifier);
        int max = Encoding.UTF8.GetMaxByteCount(codeVerifier.Length);
        byte[]? rented = null;
        Span<byte> input = max <= 512 ? stackalloc byte[512] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(max));
        int n = Encoding.UTF8.GetBytes(codeVerifier, input);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input[..n], hash);
        if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        return IronBase64.Encode(hash);
    }

    /// <summary>A random nonce in UUID v4 form (as <c>crypto.randomUUID()</c>).</summary>
    public static string CreateNonce()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        string hex = Convert.ToHexStringLower(bytes);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    /// <summary>
    /// Everything a sign-in redirect needs: a fresh verifier and nonce sealed into state (600 s), the verifier cookie's
    /// name, options and serialized <c>Set-Cookie</c>, with both size guards applied.
    /// </summary>
    /// <param name="encryption">Seals the state.</param>
    /// <param name="options">AuthKit options (cookie password, redirect URI, SameSite, domain).</param>
    /// <param name="returnPathname">Where to go after sign-in, or null.</param>
    /// <param name="customState">Application state (at most 2048 UTF-8 bytes), or null.</param>
    /// <param name="redirectUri">A per-request redirect URI, or null for <see cref="AuthKitOptions.RedirectUri"/>.</param>
    /// <exception cref="PkcePayloadTooLargeException">Custom state or verifier cookie too large.</exception>
    public static PkceAuthorizationState CreateAuthorizationState(
        ISessionEncryption encryption, AuthKitOptions options, string? returnPathname = null, string? customState = null, string? redirectUri = null)
    {
        ArgumentNullException.ThrowIfNull(encryption);
        ArgumentNullException.ThrowIfNull(options);
        PkceCookies.EnsureCustomStateSize(customState);
        string verifier = CreateCodeVerifier();
        string sealedState = encryption.SealState(
            new PkceState
            {
                Nonce = CreateNonce(),
                CodeVerifier = verifier,
                ReturnPathname = returnPathname,
                CustomState = customState,
                RedirectUri = redirectUri,
            },
            options.CookiePassword ?? string.Empty);
        AuthKitCookieOptions cookieOptions = PkceCookies.GetVerifierCookieOptions(options, redirectUri);
        string cookieName = PkceCookies.GetCookieName(sealedState);
        string setCookie = PkceCookies.SerializeVerifierCookie(cookieName, sealedState, cookieOptions);
        return new PkceAuthorizationState(sealedState, cookieName, cookieOptions, setCookie, CreateCodeChallenge(verifier));
    }
}

/// <summary>The result of <see cref="Pkce.CreateAuthorizationState"/>.</summary>
/// <param name="SealedState">The OAuth <c>state</c> parameter, identical to the verifier cookie's value.</param>
/// <param name="CookieName">The verifier cookie's name.</param>
/// <param name="CookieOptions">The verifier cookie's attributes.</param>
/// <param name="SetCookieHeader">The serialized <c>Set-Cookie</c> value (size-checked).</param>
/// <param name="CodeChallenge">The S256 code challenge for the authorization URL.</param>
internal sealed record PkceAuthorizationState(string SealedState, string CookieName, AuthKitCookieOptions CookieOptions, string SetCookieHeader, string CodeChallenge)
{
    /// <summary>The challenge method: <c>S256</c>.</summary>
    public string CodeChallengeMethod => Pkce.CodeChallengeMethod;
}
