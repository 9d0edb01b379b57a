using System.Text.Json.Serialization;

namespace AuthKit.Session;

/// <summary>The PKCE/OAuth state sealed into the <c>state</c> parameter and the verifier cookie.</summary>
public sealed class PkceState
{
    /// <summary>Random nonce.</summary>
    public required string Nonce { get; set; }
    /// <summary>The PKCE code verifier (43 chars, base64url).</summary>
    public required string CodeVerifier { get; set; }
    /// <summary>Where to go after sign-in (sanitized again on the way out).</summary>
    public string? ReturnPathname { get; set; }
    /// <summary>Application state, at most 2048 UTF-8 bytes.</summary>
    public string? CustomState { get; set; }
    /// <summary>The redirect URI used for this flow, when it differs from the configured one.</summary>
    public string? RedirectUri { get; set; }
    /// <summary>Unix milliseconds when the state was sealed (set by <see cref="ISessionEncryption.SealState"/>; required in the payload).</summary>
    [JsonRequired]
    public long IssuedAt { get; set; }
}
