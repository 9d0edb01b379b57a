using AuthKit.Blazor.WebAssembly;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Forwarder;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps AuthKit's backend-for-frontend API proxy.</summary>
public static class AuthKitApiProxyEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Forwards requests matching <paramref name="pattern"/> (with one catch-all parameter, e.g. <c>/bff/{**path}</c>)
    /// to <paramref name="destinationPrefix"/> + that path + the query, with the signed-in user's access token as a
    /// bearer token (refreshed through the engine when due) — so WebAssembly code calls APIs without ever holding a
    /// token. A request needs the session cookie and the anti-CSRF header <c>X-AuthKit-CSRF: 1</c> (a custom header
    /// forces a CORS preflight, which this app does not grant to other sites); a request from another site
    /// (<c>Sec-Fetch-Site</c>) is refused. Answers (JSON, never a redirect): 400 without the header, 403 cross-site,
    /// 401 without a live session, 502 when the API cannot be reached. The browser's cookies and the anti-CSRF header
    /// are not forwarded, and the API's <c>Set-Cookie</c> headers are dropped. Needs
    /// <c>AddAuthKit().AddWebAssemblySupport()</c> (or <c>services.AddHttpForwarder()</c>).
    /// </summary>
    /// <param name="endpoints">The endpoints.</param>
    /// <param name="pattern">The route pattern with one catch-all parameter, e.g. <c>/bff/{**path}</c>.</param>
    /// <param name="destinationPrefix">The API's base address, e.g. <c>https://api.example</c>.</param>
    public static IEndpointConventionBuilder MapAuthKitApiProxy(this IEndpointRouteBuilder endpoints, string pattern, string destinationPrefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        if (!Uri.TryCreate(destinationPrefix, UriKind.Absolute, out var destination) || (destination.Scheme != Uri.UriSchemeHttps && destination.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"The API proxy's destination must be an absolute http(s) URL, e.g. https://api.example; got '{destinationPrefix}'.", nameof(destinationPrefix));
        }

        if (endpoints.ServiceProvider.GetService<IHttpForwarder>() is null)
        {
            throw new InvalidOperationException("MapAuthKitApiProxy() needs YARP's forwarder: call builder.Services.AddAuthKit().AddWebAssemblySupport() (or services.AddHttpForwarder()) first.");
        }

        var parsed = RoutePatternFactory.Parse(pattern);
        var catchAll = parsed.Parameters.SingleOrDefault(static p => p.IsCatchAll)
            ?? throw new ArgumentException($"The API proxy's pattern needs one catch-all parameter, e.g. /bff/{{**path}}; got '{pattern}'.", nameof(pattern));

        var proxy = new AuthKitApiProxy(destinationPrefix.TrimEnd('/'), catchAll.Name);
        return endpoints.Map(pattern, proxy.HandleAsync)
            .WithName("AuthKit.ApiProxy:" + pattern)
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription();
    }

    /// <summary>
    /// <b>Opt-in, off unless mapped.</b> Maps <c>POST</c> <paramref name="pattern"/> (default <c>/auth/access-token</c>),
    /// which hands the signed-in user's access token (refreshed when due) to same-origin browser code, like
    /// authkit-nextjs's <c>useAccessToken</c>: <c>{"accessToken": "...", "expiresAt": unix seconds}</c> with
    /// <c>Cache-Control: no-store</c>. It requires the session cookie, the anti-CSRF header <c>X-AuthKit-CSRF: 1</c> and a
    /// same-origin request; otherwise a JSON 400/403/401. The refresh token never leaves the server.
    /// <para>
    /// Risk: a token in the page can be read by any script running there (an XSS flaw, a compromised dependency) and used
    /// from anywhere until it expires. Prefer <see cref="MapAuthKitApiProxy"/>, which keeps the token on the server; map
    /// this only for APIs the browser must call directly (other origins, WebSockets).
    /// </para>
    /// </summary>
    public static IEndpointConventionBuilder MapAuthKitAccessTokenEndpoint(this IEndpointRouteBuilder endpoints, string pattern = "/auth/access-token")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        return endpoints.MapPost(pattern, AuthKitApiProxy.AccessTokenAsync)
            .WithName("AuthKit.AccessToken")
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription();
    }
}
