namespace AuthKit.Blazor;

/// <summary>
/// Settings of the ASP.NET Core / Blazor integration that are not per scheme: refresh timing, circuit revalidation,
/// the relay and the verified-session cache. Bound from the <c>AuthKit</c> configuration section; set in code with
/// <c>AddAuthKit().Configure(...)</c>. Endpoint paths and events are the scheme's: <see cref="AuthKitAuthenticationOptions"/>.
/// WorkOS settings live in <see cref="AuthKit.Session.AuthKitOptions"/>.
/// </summary>
public sealed class AuthKitBlazorOptions
{
    /// <summary>
    /// Refresh the session when the access token expires within this window, capped at half the token's lifetime (so a
    /// buffer longer than the token does not refresh on every request). Default 60 seconds.
    /// </summary>
    public TimeSpan RefreshBuffer { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Longest time an interactive circuit goes without checking its session (sign-out elsewhere, revocation).
    /// Circuits also revalidate shortly before the access token expires. Default 30 seconds.
    /// </summary>
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a rotated session stays in the relay for browsers still holding the old cookie, and how long a
    /// signed-out session id is remembered. Default 7 days.
    /// </summary>
    public TimeSpan RelayLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Maximum entries of the in-memory relay (oldest evicted first). Default 10,000.</summary>
    public int MemoryRelaySizeLimit { get; set; } = 10_000;

    /// <summary>
    /// Number of verified session cookies remembered (by SHA-256 of the value) so a cookie seen before is not unsealed
    /// and verified again while its access token is outside the refresh buffer. Sizes the one cache the scheme shares
    /// with the session core (<c>AuthKitCoreOptions.VerifiedSessionCacheSize</c> is set from it). Default 10,000; 0 disables.
    /// </summary>
    public int VerifiedSessionCacheSize { get; set; } = 10_000;
}
