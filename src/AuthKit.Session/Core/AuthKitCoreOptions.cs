namespace AuthKit.Session;

/// <summary>Tuning knobs of the session core (token verification, refresh, caching). The defaults suit production.</summary>
public sealed class AuthKitCoreOptions
{
    /// <summary>
    /// Minimum time between two JWKS fetches triggered by an unknown <c>kid</c>. Default 30 s (the npm package's
    /// <c>jose</c> cooldown). A flood of forged key ids causes at most one fetch per window.
    /// </summary>
    public TimeSpan JwksRefetchThrottle { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Age after which cached keys are refreshed in the background (the cached keys keep working meanwhile,
    /// and keep working if the JWKS endpoint is down). Default 10 minutes.
    /// </summary>
    public TimeSpan JwksMaxAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Time allowed for one JWKS fetch. Default 10 s.</summary>
    public TimeSpan JwksFetchTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Clock skew tolerated on the access token's <c>exp</c>/<c>nbf</c>. Default zero (as the npm package).</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// How long a finished refresh stays shared, so late requests carrying the same (now used) refresh token
    /// get the same successor session instead of spending a dead token. Default 30 s; zero disables.
    /// </summary>
    public TimeSpan RefreshResultGracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound on remembered refresh results (in-flight ones are never dropped). Default 10 000.</summary>
    public int MaxRefreshEntries { get; set; } = 10_000;

    /// <summary>
    /// Number of verified session cookies remembered so a cookie seen before is not unsealed and verified again
    /// while its access token is valid. Default 10 000; zero disables the cache.
    /// </summary>
    public int VerifiedSessionCacheSize { get; set; } = 10_000;

    /// <summary>
    /// How long a VALID WorkOS API key is remembered by <see cref="IWorkOSApiKeys"/> before WorkOS is asked again (never past
    /// the key's own expiry). Invalid keys and failures are never remembered. A key revoked at WorkOS keeps working for at
    /// most this long. Default 60 s; zero disables the cache.
    /// </summary>
    public TimeSpan ApiKeyCacheDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Upper bound on remembered valid API keys (keyed by a SHA-256 of the key, never the key). Default 1 000; zero disables the cache.</summary>
    public int ApiKeyCacheSize { get; set; } = 1_000;
}
