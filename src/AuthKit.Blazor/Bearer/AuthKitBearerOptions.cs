using Microsoft.AspNetCore.Authentication;

namespace AuthKit.Blazor;

/// <summary>
/// Options of the WorkOS access-token bearer scheme (<c>AddAuthKitBearer()</c>, scheme <see cref="AuthKitDefaults.BearerScheme"/>).
/// The token's signature, algorithm (RS256) and expiry (with <c>AuthKitCoreOptions.ClockSkew</c>) are checked by the same JWKS
/// verifier the cookie scheme uses; these options add the checks an API needs.
/// </summary>
public sealed class AuthKitBearerOptions : AuthenticationSchemeOptions
{
    /// <summary>Whether the token's <c>iss</c> must be one of <see cref="ValidIssuers"/>. Default <see langword="true"/>.</summary>
    public bool ValidateIssuer { get; set; } = true;

    /// <summary>
    /// Accepted issuers. Default (empty): the configured WorkOS API base URL (<c>https://api.workos.com</c>) and
    /// <c>{API base}/user_management/{client id}</c> (what the emulator issues). Compared without a trailing slash.
    /// </summary>
    public IList<string> ValidIssuers { get; } = [];

    /// <summary>When set, the token's <c>aud</c> (a string or an array) must contain it. Default none (WorkOS sends no <c>aud</c> unless configured).</summary>
    public string? Audience { get; set; }

    /// <summary>When <see langword="true"/>, the token must be scoped to an organization (<c>org_id</c>). Default <see langword="false"/>.</summary>
    public bool RequireOrganization { get; set; }

    /// <summary>When set, the token's <c>org_id</c> must equal it. Default none.</summary>
    public string? RequiredOrganizationId { get; set; }

    /// <summary>The <c>realm</c> sent in <c>WWW-Authenticate</c>. Default none.</summary>
    public string? Realm { get; set; }
}
