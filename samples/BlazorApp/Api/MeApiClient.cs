using System.Net;
using Microsoft.AspNetCore.Components;

namespace BlazorApp.Api;

/// <summary>
/// Typed client for the sample's own <c>/api/me</c>. Its handler chain (<c>AddAuthKitAccessToken()</c>) attaches the
/// current user's access token; the base address is the app's own origin as the browser sees it.
/// </summary>
public sealed class MeApiClient
{
    private readonly HttpClient _http;

    public MeApiClient(HttpClient http, NavigationManager navigation)
    {
        _http = http;
        _http.BaseAddress ??= new Uri(navigation.BaseUri);
    }

    /// <summary>Calls <c>GET /api/me</c>.</summary>
    public async Task<MeApiResult> GetMeAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("api/me", cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return new MeApiResult(response.StatusCode, null);
        }

        var me = await response.Content.ReadFromJsonAsync<MeResponse>(cancellationToken);
        return new MeApiResult(response.StatusCode, me);
    }
}

/// <summary>The outcome of a call to <c>/api/me</c>.</summary>
public sealed record MeApiResult(HttpStatusCode Status, MeResponse? Me);
