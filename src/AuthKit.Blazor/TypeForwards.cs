using System.Runtime.CompilerServices;

// These types moved to AuthKit.Blazor.Components (render-mode agnostic: server and WebAssembly) under the same names
// and namespaces; code compiled against earlier versions of AuthKit.Blazor keeps finding them here.
[assembly: TypeForwardedTo(typeof(AuthKit.Blazor.AuthKitDefaults))]
[assembly: TypeForwardedTo(typeof(AuthKit.Blazor.AuthKitClaimTypes))]
[assembly: TypeForwardedTo(typeof(AuthKit.Blazor.AuthKitAuthenticationState))]
[assembly: TypeForwardedTo(typeof(AuthKit.Blazor.AuthKitPrincipalExtensions))]
[assembly: TypeForwardedTo(typeof(AuthKit.Blazor.Components.SignInButton))]
[assembly: TypeForwardedTo(typeof(AuthKit.Blazor.Components.SignUpButton))]
[assembly: TypeForwardedTo(typeof(AuthKit.Blazor.Components.SignOutButton))]
[assembly: TypeForwardedTo(typeof(AuthKit.Blazor.Components.RedirectToSignIn))]
[assembly: TypeForwardedTo(typeof(AuthKit.Blazor.Components.ImpersonationBanner))]
[assembly: TypeForwardedTo(typeof(AuthKit.Blazor.Components.OrganizationSwitcher))]
