using Microsoft.Extensions.Options;

namespace AuthKit.Blazor.Components;

/// <summary>The components' <see cref="AuthKitEndpointPaths"/> on the server: the <c>AuthKit</c> scheme's paths.</summary>
internal sealed class EndpointPathsFromScheme(IOptionsMonitor<AuthKitAuthenticationOptions> scheme) : IConfigureOptions<AuthKitEndpointPaths>
{
    public void Configure(AuthKitEndpointPaths options) => CopyFrom(scheme.Get(AuthKitDefaults.AuthenticationScheme), options);

    /// <summary>Copies the endpoint paths of <paramref name="scheme"/> into <paramref name="paths"/>.</summary>
    internal static void CopyFrom(AuthKitAuthenticationOptions scheme, AuthKitEndpointPaths paths)
    {
        paths.SignInPath = scheme.SignInPath;
        paths.SignUpPath = scheme.SignUpPath;
        paths.SignOutPath = scheme.SignOutPath;
        paths.SwitchOrganizationPath = scheme.SwitchOrganizationPath;
        paths.SessionPath = scheme.SessionPath;
        paths.OrganizationsPath = scheme.OrganizationsPath;
    }
}
