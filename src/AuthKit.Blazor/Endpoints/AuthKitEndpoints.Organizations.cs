using AuthKit.Blazor.Components;
using AuthKit.Blazor.WebAssembly;
using AuthKit.Session;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AuthKit.Blazor;

internal static partial class AuthKitEndpoints
{
    // ---------------------------------------------------------------- organizations (the WebAssembly switcher)

    /// <summary>
    /// The signed-in user's active organizations (<c>[{"id","name"}]</c>), for <c>OrganizationSwitcher</c> running in
    /// WebAssembly. Same origin and the anti-CSRF header only; JSON errors, never a redirect; never cached.
    /// </summary>
    public static async Task<IResult> OrganizationsAsync(HttpContext context)
    {
        var request = context.Request;
        context.Response.Headers.CacheControl = "no-store";
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0 && !string.Equals(fetchSite, "same-origin", StringComparison.OrdinalIgnoreCase))
        {
            return JsonError(StatusCodes.Status403Forbidden, "cross_site_request", "This endpoint only answers this site's own pages.");
        }

        if (!string.Equals(request.Headers[AuthKitDefaults.CsrfHeaderName].ToString(), AuthKitDefaults.CsrfHeaderValue, StringComparison.Ordinal))
        {
            return JsonError(StatusCodes.Status400BadRequest, "csrf_header_required", $"Send the {AuthKitDefaults.CsrfHeaderName}: {AuthKitDefaults.CsrfHeaderValue} header.");
        }

        var auth = (await context.AuthenticateAsync(AuthKitDefaults.AuthenticationScheme).ConfigureAwait(false)).Principal.GetAuthResult();
        if (!auth.IsAuthenticated)
        {
            return JsonError(StatusCodes.Status401Unauthorized, "unauthenticated", "Sign in again: there is no live session.");
        }

        try
        {
            var source = new WorkOSOrganizationListSource(context.RequestServices.GetRequiredService<IWorkOSUserManagement>(), Logger(context));
            var organizations = await source.ListAsync(auth.User.Id, context.RequestAborted).ConfigureAwait(false);
            return TypedResults.Json(organizations, OrganizationListJsonContext.Default.IReadOnlyListSwitcherOrganization);
        }
        catch (Exception ex) when (ex is AuthKitException or HttpRequestException || (ex is TaskCanceledException && !context.RequestAborted.IsCancellationRequested))
        {
            return JsonError(StatusCodes.Status503ServiceUnavailable, "organizations_unavailable", "The organizations could not be loaded. Try again later.");
        }
    }

    private static IResult JsonError(int status, string error, string message) =>
        TypedResults.Json(new ApiError(error, message), ApiErrorJsonContext.Default.ApiError, statusCode: status);
}
