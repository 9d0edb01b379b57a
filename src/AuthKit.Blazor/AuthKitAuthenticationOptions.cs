using Microsoft.AspNetCore.Authentication;

namespace AuthKit.Blazor;

/// <summary>
/// Options of the <c>AuthKit</c> authentication scheme (as <c>CookieAuthenticationOptions</c> is for cookies): the
/// endpoint paths and the event hooks. Bound from the <c>AuthKit</c> configuration section (<c>AuthKit:SignInPath</c>,
/// ...); set in code with <c>AddAuthKit().ConfigureScheme(...)</c> and <c>WithEvents(...)</c>. Read them with
/// <c>IOptionsMonitor&lt;AuthKitAuthenticationOptions&gt;.Get(AuthKitDefaults.AuthenticationScheme)</c>. WorkOS
/// settings live in <see cref="AuthKit.Session.AuthKitOptions"/>, refresh timing and the relay in
/// <see cref="AuthKitBlazorOptions"/>.
/// </summary>
public sealed class AuthKitAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>Creates the options with no-op <see cref="Events"/>.</summary>
    public AuthKitAuthenticationOptions()
    {
        Events = new AuthKitEvents();
    }

    /// <summary>Sign-in endpoint (GET); unauthenticated page requests are redirected here. Default <c>/auth/sign-in</c>.</summary>
    public string SignInPath { get; set; } = "/auth/sign-in";

    /// <summary>Sign-up endpoint (GET). Default <c>/auth/sign-up</c>.</summary>
    public string SignUpPath { get; set; } = "/auth/sign-up";

    /// <summary>Sign-out endpoint (POST with antiforgery). Default <c>/auth/sign-out</c>.</summary>
    public string SignOutPath { get; set; } = "/auth/sign-out";

    /// <summary>Organization switch endpoint (POST with antiforgery). Default <c>/auth/switch-organization</c>.</summary>
    public string SwitchOrganizationPath { get; set; } = "/auth/switch-organization";

    /// <summary>
    /// The signed-in user's organizations as JSON (<c>GET</c>, same origin, <c>X-AuthKit-CSRF: 1</c>), for the
    /// organization switcher in WebAssembly. Default <c>/auth/organizations</c>.
    /// </summary>
    public string OrganizationsPath { get; set; } = "/auth/organizations";

    /// <summary>Endpoint the circuit calls (same-origin POST) to store the newest session in the cookie. Default <c>/auth/session</c>.</summary>
    public string SessionPath { get; set; } = "/auth/session";

    /// <summary>
    /// Endpoint (POST with antiforgery) the built-in pending-sign-in pages (organization chooser, email code, TOTP code)
    /// post to. Default <c>/auth/pending</c>.
    /// </summary>
    public string PendingSignInPath { get; set; } = "/auth/pending";

    /// <summary>
    /// Redirect URIs a sign-in may ask for with <c>redirectUri</c> (besides <see cref="AuthKit.Session.AuthKitOptions.RedirectUri"/>),
    /// e.g. preview deployments; each must also be registered at WorkOS. Compared exactly (ordinal). A <c>redirectUri</c> not
    /// listed gets a 400, never a redirect. Default empty.
    /// </summary>
    public IList<string> AllowedRedirectUris { get; set; } = [];

    /// <summary>
    /// Callback endpoint (GET). Default null: after configuration, the path of
    /// <see cref="AuthKit.Session.AuthKitOptions.RedirectUri"/> (for example <c>/auth/callback</c>), or
    /// <c>/auth/callback</c> when the redirect URI has no path. A value set here wins.
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
    /// Whether every response for a signed-in user gets <c>Cache-Control: private, no-store</c> and <c>Vary: Cookie</c>, so no
    /// browser or shared cache (CDN, proxy) keeps a signed-in page or a rotated session cookie. An explicit <c>Cache-Control</c>
    /// the app set on a response is kept, unless that response also rotates the session cookie. Anonymous responses are left
    /// alone. Default <see langword="true"/>.
    /// </summary>
    public bool NoStoreWhenSignedIn { get; set; } = true;

    /// <summary>
    /// The event hooks. Default: no-ops. Ignored when <see cref="AuthenticationSchemeOptions.EventsType"/> is set: then
    /// an instance of that type (an <see cref="AuthKitEvents"/> subclass registered in DI, as
    /// <c>AddAuthKit().WithEvents&lt;TEvents&gt;()</c> does) is resolved from the request's or circuit's services.
    /// </summary>
    public new AuthKitEvents Events
    {
        get => (AuthKitEvents)base.Events!;
        set => base.Events = value;
    }
}
