namespace AuthKit.Session;

/// <summary>
/// Settings for WorkOS AuthKit. The <c>WORKOS_*</c> environment variables override values set here
/// (as in the npm package <c>@workos/authkit-session</c>).
/// </summary>
public sealed class AuthKitOptions
{
    /// <summary>The configuration section bound by default: <c>AuthKit</c> (keys <c>AuthKit:ClientId</c>, ...).</summary>
    public const string SectionName = "AuthKit";

    /// <summary>The default session cookie name: <c>wos-session</c>.</summary>
    public const string DefaultCookieName = "wos-session";

    /// <summary>The default cookie lifetime: 400 days.</summary>
    public static readonly TimeSpan DefaultCookieMaxAge = TimeSpan.FromDays(400);

    /// <summary>WorkOS client id (<c>client_...</c>). Required. Environment: <c>WORKOS_CLIENT_ID</c>.</summary>
    public string? ClientId { get; set; }

    /// <summary>WorkOS API key (<c>sk_...</c>). Required. Environment: <c>WORKOS_API_KEY</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Absolute callback URL registered at WorkOS. Required. Environment: <c>WORKOS_REDIRECT_URI</c>.</summary>
    public string? RedirectUri { get; set; }

    /// <summary>Password sealing the session cookie, at least 32 characters. Required. Environment: <c>WORKOS_COOKIE_PASSWORD</c>.</summary>
    public string? CookiePassword { get; set; }

    /// <summary>Session cookie name. Default <c>wos-session</c>. Environment: <c>WORKOS_COOKIE_NAME</c>.</summary>
    public string CookieName { get; set; } = DefaultCookieName;

    /// <summary>Session cookie <c>Max-Age</c>. Default 400 days. Environment: <c>WORKOS_COOKIE_MAX_AGE</c> (seconds).</summary>
    public TimeSpan CookieMaxAge { get; set; } = DefaultCookieMaxAge;

    /// <summary>Session cookie <c>Domain</c>. Default none (host-only). Environment: <c>WORKOS_COOKIE_DOMAIN</c>.</summary>
    public string? CookieDomain { get; set; }

    /// <summary><c>lax</c>, <c>strict</c> or <c>none</c>. Default <c>lax</c>. Environment: <c>WORKOS_COOKIE_SAME_SITE</c>.</summary>
    public string CookieSameSite { get; set; } = "lax";

    /// <summary>WorkOS API host. Default <c>api.workos.com</c>. Environment: <c>WORKOS_API_HOSTNAME</c>.</summary>
    public string ApiHostname { get; set; } = "api.workos.com";

    /// <summary>Whether the API is reached over https. Default <c>true</c>. Environment: <c>WORKOS_API_HTTPS</c>.</summary>
    public bool ApiHttps { get; set; } = true;

    /// <summary>WorkOS API port. Default none (the scheme's default). Environment: <c>WORKOS_API_PORT</c>.</summary>
    public int? ApiPort { get; set; }

    /// <summary>Expected access-token issuer. Default none (not checked, as in the npm package).</summary>
    public string? TokenIssuer { get; set; }

    /// <summary>Expected access-token audience. Default none (not checked, as in the npm package).</summary>
    public string? TokenAudience { get; set; }

    /// <summary>
    /// Applies the <c>WORKOS_*</c> environment variables, which override values already set (as in the npm package).
    /// Empty variables are ignored. Unparsable numbers and booleans are not applied; <see cref="AuthKitOptionsValidator"/>
    /// reports them.
    /// </summary>
    /// <param name="getEnvironmentVariable">Reads a variable; for example <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    public void ApplyEnvironment(Func<string, string?> getEnvironmentVariable) => AuthKitEnvironment.Apply(this, getEnvironmentVariable);

    /// <summary>Problems found while applying environment variables (values never include secrets).</summary>
    internal List<string> EnvironmentErrors { get; } = [];
}
