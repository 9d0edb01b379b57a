using System.Diagnostics;
using System.Net;
using AuthKit.Session;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;

namespace AuthKit.Blazor.WebAssembly;

/// <summary>
/// The backend-for-frontend proxy behind <c>MapAuthKitApiProxy</c>: a same-origin request with the session cookie and
/// the anti-CSRF header is forwarded (YARP's <see cref="IHttpForwarder"/>) to the API with the user's access token
/// (refreshed by the scheme handler when due); the cookie and the anti-CSRF header are not forwarded.
/// </summary>
internal sealed partial class AuthKitApiProxy
{
    private readonly string _destinationPrefix;
    private readonly HttpMessageInvoker _invoker;
    private readonly string _pathParameter;

    public AuthKitApiProxy(string destinationPrefix, string pathParameter, HttpMessageInvoker? invoker = null)
    {
        _destinationPrefix = destinationPrefix;
        _pathParameter = pathParameter;
        _invoker = invoker ?? new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
            ConnectTimeout = TimeSpan.FromSeconds(15),
        });
    }

    public async Task HandleAsync(HttpContext context)
    {
        if (await AuthorizeBrowserRequestAsync(context).ConfigureAwait(false) is not { } auth)
        {
            return;
        }

        var path = context.GetRouteValue(_pathParameter) as string ?? string.Empty;
        var forwarder = context.RequestServices.GetRequiredService<IHttpForwarder>();
        // The session cookie the scheme handler may have rotated on this response must survive the forwarded response.
        var ownCookies = context.Response.Headers.SetCookie;
        var transformer = new ApiTransformer(_destinationPrefix, path, auth.AccessToken!, ownCookies);
        var error = await forwarder.SendAsync(context, _destinationPrefix, _invoker, ForwarderRequestConfig.Empty, transformer).ConfigureAwait(false);
        if (error != ForwarderError.None)
        {
            LogForwardFailed(Logger(context), error);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await JsonErrorAsync(context, StatusCodes.Status502BadGateway, "api_unavailable", "The API could not be reached.").ConfigureAwait(false);
            }
        }
    }

    /// <summary>The opt-in token endpoint (<c>MapAuthKitAccessTokenEndpoint</c>).</summary>
    public static async Task AccessTokenAsync(HttpContext context)
    {
        if (await AuthorizeBrowserRequestAsync(context).ConfigureAwait(false) is not { } auth)
        {
            return;
        }

        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        await context.Response.WriteAsJsonAsync(new AccessTokenAnswer(auth.AccessToken!, auth.AccessTokenExpiresAt?.ToUnixTimeSeconds()),
            ApiErrorJsonContext.Default.AccessTokenAnswer, contentType: null, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// A same-origin request with the anti-CSRF header and a live session: its (refreshed when due) session, or null
    /// after writing the JSON error (403 cross-site, 400 without the header, 401 without a session).
    /// </summary>
    private static async Task<AuthResult?> AuthorizeBrowserRequestAsync(HttpContext context)
    {
        var request = context.Request;
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0 && !string.Equals(fetchSite, "same-origin", StringComparison.OrdinalIgnoreCase))
        {
            await JsonErrorAsync(context, StatusCodes.Status403Forbidden, "cross_site_request", "This endpoint only answers requests from this site's own pages.").ConfigureAwait(false);
            return null;
        }

        if (!string.Equals(request.Headers[AuthKitDefaults.CsrfHeaderName].ToString(), AuthKitDefaults.CsrfHeaderValue, StringComparison.Ordinal))
        {
            await JsonErrorAsync(context, StatusCodes.Status400BadRequest, "csrf_header_required",
                $"Send the {AuthKitDefaults.CsrfHeaderName}: {AuthKitDefaults.CsrfHeaderValue} header (the WebAssembly client's AddAuthKitApiProxyHandler() does).").ConfigureAwait(false);
            return null;
        }

        // The scheme handler resolves the cookie through the engine: the newest rotation, refreshed when due (the
        // refreshed cookie is written on this response).
        var auth = (await context.AuthenticateAsync(AuthKitDefaults.AuthenticationScheme).ConfigureAwait(false)).Principal.GetAuthResult();
        if (!auth.IsAuthenticated || string.IsNullOrEmpty(auth.AccessToken))
        {
            await JsonErrorAsync(context, StatusCodes.Status401Unauthorized, "unauthenticated", "Sign in again: there is no live session.").ConfigureAwait(false);
            return null;
        }

        return auth;
    }

    /// <summary>A JSON error (<c>{"error": ..., "message": ...}</c>), never cached.</summary>
    internal static Task JsonErrorAsync(HttpContext context, int status, string error, string message)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(new ApiError(error, message), ApiErrorJsonContext.Default.ApiError, contentType: null, context.RequestAborted);
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("AuthKit.Blazor.ApiProxy");

    [LoggerMessage(EventId = 5601, Level = LogLevel.Warning, Message = "AuthKit API proxy: forwarding failed ({Error}).")]
    private static partial void LogForwardFailed(ILogger logger, ForwarderError error);

    private sealed class ApiTransformer(string destinationPrefix, string path, string accessToken, Microsoft.Extensions.Primitives.StringValues ownCookies) : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix1, CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix1, cancellationToken).ConfigureAwait(false);
            proxyRequest.RequestUri = RequestUtilities.MakeDestinationAddress(destinationPrefix, new PathString("/" + path.TrimStart('/')), httpContext.Request.QueryString);
            proxyRequest.Headers.Remove("Cookie");
            proxyRequest.Headers.Remove(AuthKitDefaults.CsrfHeaderName);
            proxyRequest.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
            proxyRequest.Headers.Host = null;
        }

        public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
        {
            var proceed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken).ConfigureAwait(false);
            // The API's cookies belong to the API's origin, not this app's; this app's own (a rotated session) stay.
            httpContext.Response.Headers.SetCookie = ownCookies;
            return proceed;
        }
    }
}

/// <summary>The JSON body of the API proxy's (and the cookie scheme's API) errors.</summary>
internal sealed record ApiError(string Error, string Message);

/// <summary>The opt-in token endpoint's answer.</summary>
internal sealed record AccessTokenAnswer(string AccessToken, long? ExpiresAt);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(ApiError))]
[System.Text.Json.Serialization.JsonSerializable(typeof(AccessTokenAnswer))]
internal sealed partial class ApiErrorJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
