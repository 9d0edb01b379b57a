namespace AuthKit.Blazor.WebAssembly;

/// <summary>
/// Adds the anti-CSRF header (<c>X-AuthKit-CSRF: 1</c>) to requests for the server's API proxy
/// (<c>MapAuthKitApiProxy</c>); the browser sends the session cookie, the server attaches the access token.
/// </summary>
public sealed class AuthKitApiProxyHandler : DelegatingHandler
{
    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Remove(AuthKitDefaults.CsrfHeaderName);
        request.Headers.TryAddWithoutValidation(AuthKitDefaults.CsrfHeaderName, AuthKitDefaults.CsrfHeaderValue);
        return base.SendAsync(request, cancellationToken);
    }
}
