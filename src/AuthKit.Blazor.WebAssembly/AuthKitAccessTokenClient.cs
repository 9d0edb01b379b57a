using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AuthKit.Blazor.Components;
using Microsoft.AspNetCore.Components;

namespace AuthKit.Blazor.WebAssembly;

/// <summary>
/// <b>Opt-in</b> (<c>AddAuthKitAccessTokenAccess()</c> on the client and <c>MapAuthKitAccessTokenEndpoint()</c> on the
/// server): reads the signed-in user's access token from the server's token endpoint, for APIs the browser must call
/// directly. The token is then in WebAssembly memory, where any script in the page can reach it; prefer the API proxy.
/// </summary>
public sealed class AuthKitAccessTokenClient
{
    private readonly HttpClient _http;
    private readonly NavigationManager _navigation;
    private readonly string _path;

    internal AuthKitAccessTokenClient(HttpClient http, NavigationManager navigation, string path)
    {
        _http = http;
        _navigation = navigation;
        _path = path;
    }

    /// <summary>The current access token (refreshed by the server when due), or null when nobody is signed in.</summary>
    /// <exception cref="HttpRequestException">The endpoint is unreachable, not mapped, or answered an error other than 401.</exception>
    public async Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken = default)
    {
        var url = new Uri(new Uri(_navigation.BaseUri), AuthKitLinks.Endpoint(_navigation, _path));
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        request.Headers.TryAddWithoutValidation(AuthKitDefaults.CsrfHeaderName, AuthKitDefaults.CsrfHeaderValue);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        using var body = await response.Content.ReadFromJsonAsync<JsonDocument>(cancellationToken).ConfigureAwait(false);
        return body?.RootElement is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("accessToken", out var token) && token.ValueKind == JsonValueKind.String
            ? token.GetString()
            : throw new HttpRequestException("The token endpoint answered without an access token.");
    }
}
