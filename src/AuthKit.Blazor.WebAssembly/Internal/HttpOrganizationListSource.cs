using System.Net.Http.Json;
using AuthKit.Blazor.Components;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor.WebAssembly.Internal;

/// <summary>
/// The organization switcher's list in WebAssembly: the server's organizations endpoint (same origin, the browser's
/// session cookie, the anti-CSRF header). Any failure throws, and the switcher shows its error state.
/// </summary>
internal sealed class HttpOrganizationListSource(HttpClient http, NavigationManager navigation, IOptionsMonitor<AuthKitEndpointPaths> paths) : IOrganizationListSource
{
    public async Task<IReadOnlyList<SwitcherOrganization>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        var url = new Uri(new Uri(navigation.BaseUri), AuthKitLinks.Endpoint(navigation, paths.CurrentValue.OrganizationsPath));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation(AuthKitDefaults.CsrfHeaderName, AuthKitDefaults.CsrfHeaderValue);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(true);
        response.EnsureSuccessStatusCode();
        var organizations = await response.Content.ReadFromJsonAsync(OrganizationListJsonContext.Default.IReadOnlyListSwitcherOrganization, cancellationToken).ConfigureAwait(true);
        return organizations is not null && organizations.All(static o => o is { Id.Length: > 0, Name: not null })
            ? organizations
            : throw new HttpRequestException("The organizations endpoint answered an unreadable list.");
    }
}
