using Microsoft.AspNetCore.Authentication;

namespace AuthKit.Blazor;

/// <summary>
/// Options of the WorkOS API-key scheme (<c>AddAuthKitApiKey()</c>, scheme <see cref="AuthKitDefaults.ApiKeyScheme"/>): machine
/// clients send <c>Authorization: Bearer &lt;WorkOS API key&gt;</c>, validated with <c>IWorkOSApiKeys</c> (valid keys cached per
/// <c>AuthKitCoreOptions.ApiKeyCacheDuration</c>).
/// </summary>
public sealed class AuthKitApiKeyOptions : AuthenticationSchemeOptions
{
    /// <summary>The <c>realm</c> sent in <c>WWW-Authenticate</c>. Default none.</summary>
    public string? Realm { get; set; }

    /// <summary>
    /// The <c>Retry-After</c> (seconds) sent with the 503 answered when WorkOS cannot validate a key (timeout, 5xx, 429).
    /// Default 5 s.
    /// </summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}
