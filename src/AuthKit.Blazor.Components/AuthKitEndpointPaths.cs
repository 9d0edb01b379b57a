namespace AuthKit.Blazor;

/// <summary>
/// Where AuthKit's endpoints (<c>MapAuthKit()</c>) are, as the components and the WebAssembly client see them. On the
/// server <c>AddAuthKit()</c> copies them from the <c>AuthKit</c> scheme's options; in WebAssembly they are set with
/// <c>AddAuthKitWebAssembly()</c> and must match the server's. Paths are relative to the app's base path.
/// </summary>
public sealed class AuthKitEndpointPaths
{
    /// <summary>The sign-in endpoint. Default <c>/auth/sign-in</c>.</summary>
    public string SignInPath { get; set; } = "/auth/sign-in";

    /// <summary>The sign-up endpoint. Default <c>/auth/sign-up</c>.</summary>
    public string SignUpPath { get; set; } = "/auth/sign-up";

    /// <summary>The sign-out endpoint (POST with antiforgery). Default <c>/auth/sign-out</c>.</summary>
    public string SignOutPath { get; set; } = "/auth/sign-out";

    /// <summary>The switch-organization endpoint (POST with antiforgery). Default <c>/auth/switch-organization</c>.</summary>
    public string SwitchOrganizationPath { get; set; } = "/auth/switch-organization";

    /// <summary>The signed-in user's organizations as JSON (GET, for the switcher in WebAssembly). Default <c>/auth/organizations</c>.</summary>
    public string OrganizationsPath { get; set; } = "/auth/organizations";

    /// <summary>The session endpoint (POST, same origin, <c>X-AuthKit-Session</c> header). Default <c>/auth/session</c>.</summary>
    public string SessionPath { get; set; } = "/auth/session";
}
