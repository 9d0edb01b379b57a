using System.Net.Http.Json;
using System.Text.Json;
using AuthKit.Blazor.Components;
using AuthKit.Blazor.Internal;
using AuthKit.Session;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor.WebAssembly.Internal;

/// <summary>What one check of the server's session endpoint found.</summary>
internal enum SessionCheckOutcome
{
    /// <summary>No answer that can be trusted (network, 4xx/5xx, unreadable body): keep the current state.</summary>
    Unknown,

    /// <summary>The server has no live session for this browser (signed out, revoked, expired).</summary>
    Ended,

    /// <summary>The server's live session (possibly refreshed or switched).</summary>
    Signed,
}

/// <summary>The result of a session check: the outcome and, when signed in, the session as the server sees it (no tokens).</summary>
internal readonly record struct SessionCheck(SessionCheckOutcome Outcome, AuthResult Auth)
{
    public static SessionCheck Unknown => new(SessionCheckOutcome.Unknown, AuthResult.Anonymous);

    public static SessionCheck Ended => new(SessionCheckOutcome.Ended, AuthResult.Anonymous);
}

/// <summary>
/// POSTs to the server's same-origin session endpoint (<c>X-AuthKit-Session: state</c>) with the browser's cookies. The
/// server refreshes the session when due and answers whether it is live, with its user and claims (never a token).
/// </summary>
internal sealed class AuthKitSessionClient(HttpClient http, NavigationManager navigation, IOptionsMonitor<AuthKitEndpointPaths> paths)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public async Task<SessionCheck> CheckAsync(CancellationToken cancellationToken)
    {
        var url = new Uri(new Uri(navigation.BaseUri), AuthKitLinks.Endpoint(navigation, paths.CurrentValue.SessionPath));
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        request.Headers.TryAddWithoutValidation(AuthKitDefaults.SessionRequestHeader, "state");
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return SessionCheck.Unknown;
            }

            using var body = await response.Content.ReadFromJsonAsync<JsonDocument>(Web, cancellationToken).ConfigureAwait(false);
            if (body?.RootElement is not { ValueKind: JsonValueKind.Object } root
                || !root.TryGetProperty("authenticated", out var authenticated)
                || authenticated.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return SessionCheck.Unknown;
            }

            if (authenticated.ValueKind == JsonValueKind.False)
            {
                return SessionCheck.Ended;
            }

            if (!root.TryGetProperty("state", out var state))
            {
                return SessionCheck.Unknown;
            }

            var auth = AuthKitClientState.ToAuthResult(state);
            return auth.IsAuthenticated ? new SessionCheck(SessionCheckOutcome.Signed, auth) : SessionCheck.Unknown;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or NotSupportedException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return SessionCheck.Unknown;
        }
    }
}
