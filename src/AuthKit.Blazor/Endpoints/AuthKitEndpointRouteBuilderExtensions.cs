using AuthKit.Session;
using AuthKit.Blazor;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps AuthKit's endpoints.</summary>
public static class AuthKitEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>GET</c> sign-in and sign-up, <c>GET</c> callback (the path of the redirect URI), <c>POST</c> sign-out,
    /// switch-organization and pending sign-in steps (antiforgery), the <c>POST</c> session endpoint the circuit and
    /// WebAssembly call, and the <c>GET</c> organizations endpoint of the WebAssembly organization switcher, at the paths of
    /// <see cref="AuthKitAuthenticationOptions"/> (the <c>AuthKit</c> scheme's). Returns the group so apps can add conventions (rate limiting, CORS, ...).
    /// </summary>
    public static IEndpointConventionBuilder MapAuthKit(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        if (services.GetService<SessionResolver>() is null)
        {
            throw new InvalidOperationException("MapAuthKit() needs the AuthKit services: call builder.Services.AddAuthKit() first.");
        }

        var options = services.GetRequiredService<IOptionsMonitor<AuthKitAuthenticationOptions>>().Get(AuthKitDefaults.AuthenticationScheme);
        var callbackPath = options.CallbackPath ?? AuthKitAuthenticationPostConfigureOptions.DefaultCallbackPath;

        var group = endpoints.MapGroup(string.Empty);
        group.WithTags("AuthKit");
        group.MapGet(options.SignInPath, Handler(AuthKitEndpoints.SignInAsync)).WithName("AuthKit.SignIn").AllowAnonymous().ExcludeFromDescription();
        group.MapGet(options.SignUpPath, Handler(AuthKitEndpoints.SignUpAsync)).WithName("AuthKit.SignUp").AllowAnonymous().ExcludeFromDescription();
        group.MapGet(callbackPath, Handler(AuthKitEndpoints.CallbackAsync)).WithName("AuthKit.Callback").AllowAnonymous().ExcludeFromDescription();
        group.MapPost(options.SignOutPath, Handler(AuthKitEndpoints.SignOutAsync)).WithName("AuthKit.SignOut").AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        group.MapPost(options.SwitchOrganizationPath, Handler(AuthKitEndpoints.SwitchOrganizationAsync)).WithName("AuthKit.SwitchOrganization").AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        group.MapPost(options.PendingSignInPath, Handler(AuthKitEndpoints.PendingSignInAsync)).WithName("AuthKit.PendingSignIn").AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        group.MapPost(options.SessionPath, Handler(AuthKitEndpoints.SessionAsync)).WithName("AuthKit.Session").AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        group.MapGet(options.OrganizationsPath, Handler(AuthKitEndpoints.OrganizationsAsync)).WithName("AuthKit.Organizations").AllowAnonymous().ExcludeFromDescription();
        return group;
    }

    private static Delegate Handler(Func<HttpContext, Task<IResult>> handler) => handler;
}
