namespace AuthKit.Blazor;

/// <summary>
/// Settings of the ASP.NET Core / Blazor integration (paths, refresh timing, relay). WorkOS settings live in
/// <see cref="AuthKit.Session.AuthKitOptions"/>. Bound from the <c>AuthKit</c> configuration section.
/// </summary>
public sealed class AuthKitBlazorOptions
{
    /// <summary>Sign-in endpoint (GET). Default <c>/auth/sign-in</c>.</summary>
    public string SignInPath { get; set; } = "/auth/sign-in";

    /// <summary>Sign-up endpoint (GET). Default <c>/auth/sign-up</c>.</summary>
    public string SignUpPath { get; set; } = "/auth/sign-up";

    /// <summary>Sign-out endpoint (POST with antiforgery). Default <c>/auth/sign-out</c>.</summary>
    public string SignOutPath { get; set; } = "/auth/sign-out";

    /// <summary>Organization switch endpoint (POST with antiforgery). Default <c>/auth/switch-organization</c>.</summary>
    public string SwitchOrganizationPath { get; set; } = "/auth/switch-organization";

    /// <summary>Endpoint the circuit calls (same-origin POST) to store the newest session in the cookie. Default <c>/auth/session</c>.</summary>
    public string SessionPath { get; set; } = "/auth/session";

    /// <summary>
    /// Callback endpoint (GET). Default null: the path of <see cref="AuthKit.Session.AuthKitOptions.RedirectUri"/>
    /// (for example <c>/auth/callback</c>).
    /// </summary>
    public string? CallbackPath { get; set; }

    /// <summary>
    /// Where a failed sign-in callback is redirected (with <c>?error=&lt;code&gt;</c>). Default null: a built-in
    /// 400 page explaining the problem.
    /// </summary>
    public string? ErrorPath { get; set; }

    /// <summary>Where to go after sign-out when the request gives no valid <c>returnTo</c>. Default <c>/</c>.</summary>
    public string SignedOutReturnPath { get; set; } = "/";

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

    /// <summary>The event hooks. Default: no-ops. Ignored when <see cref="EventsType"/> is set.</summary>
    public AuthKitEvents Events { get; set; } = new();

    /// <summary>A <see cref="AuthKitEvents"/> subclass resolved from DI per request/circuit. Default null (use <see cref="Events"/>).</summary>
    public Type? EventsType { get; set; }
}
