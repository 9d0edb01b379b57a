using System.Net.Http.Headers;

namespace AuthKit.Blazor;

/// <summary>
/// Adds <c>Authorization: Bearer &lt;access token&gt;</c> of the CURRENT user (resolved per request, never captured) to
/// outgoing requests. Register with <c>services.AddHttpClient(...).AddAuthKitAccessToken()</c>. Requests already carrying an
/// <c>Authorization</c> header, or made while nobody is signed in, pass through unchanged.
/// </summary>
public sealed class AuthKitAccessTokenHandler : DelegatingHandler
{
    private readonly IAccessTokenProvider _tokens;

    /// <summary>Creates the handler.</summary>
    public AuthKitAccessTokenHandler(IAccessTokenProvider tokens) => _tokens = tokens;

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization is null &&
            await _tokens.GetAccessTokenAsync(cancellationToken).ConfigureAwait(false) is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
