using System.Net.Http.Json;
using System.Text.Json;

namespace AuthKit.E2E.Tests;

/// <summary>The emulator's HTTP control surface (<c>/_emulator/...</c>), as the E2E suite reaches it from outside the app.</summary>
public sealed class EmulatorControl : IDisposable
{
    private readonly HttpClient _http;

    /// <summary>Talks to the emulator at <paramref name="emulatorUri"/>; the control surface wants the emulator's API key.</summary>
    public EmulatorControl(Uri emulatorUri)
    {
        _http = new HttpClient { BaseAddress = emulatorUri, Timeout = TimeSpan.FromSeconds(10) };
        _http.DefaultRequestHeaders.Authorization = new("Bearer", new AuthKit.Testing.WorkOSEmulatorOptions().ApiKey);
    }

    /// <summary>How many refresh tokens the emulator rejected so far (used, revoked or unknown).</summary>
    public async Task<int> GetRejectedRefreshTokensAsync()
    {
        var counts = await _http.GetFromJsonAsync<JsonElement>("_emulator/counts");
        return counts.GetProperty("rejected_refresh_tokens").GetInt32();
    }

    /// <summary>Delays the next request to <paramref name="route"/> by <paramref name="delay"/> before answering it normally (a slow WorkOS).</summary>
    public async Task DelayNextAsync(string route, TimeSpan delay)
    {
        using var response = await _http.PostAsync("_emulator/faults", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["route"] = route,
            ["delay_ms"] = ((int)delay.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Makes the hosted sign-in page sign <paramref name="email"/> in at once (no page), or stops that when null.</summary>
    public async Task SetAutoSignInAsync(string? email, string? organizationId = null)
    {
        var fields = new Dictionary<string, string>();
        if (email is not null)
        {
            fields["email"] = email;
        }

        if (organizationId is not null)
        {
            fields["organization_id"] = organizationId;
        }

        using var response = await _http.PostAsync("_emulator/auto-sign-in", new FormUrlEncodedContent(fields));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>How many organization-membership list requests the emulator served so far.</summary>
    public async Task<int> GetOrganizationMembershipRequestsAsync()
    {
        var counts = await _http.GetFromJsonAsync<JsonElement>("_emulator/counts");
        return counts.GetProperty("organization_memberships").GetInt32();
    }

    /// <summary>Whether the emulator still considers the session active.</summary>
    public async Task<bool> IsSessionActiveAsync(string sessionId)
    {
        var session = await _http.GetFromJsonAsync<JsonElement>($"_emulator/sessions/{Uri.EscapeDataString(sessionId)}");
        return session.GetProperty("active").GetBoolean();
    }

    /// <summary>How many refresh grants of this session the emulator answered with new tokens, and how many it rejected.</summary>
    public async Task<(int Refreshes, int Rejected)> GetSessionRefreshesAsync(string sessionId)
    {
        var session = await _http.GetFromJsonAsync<JsonElement>($"_emulator/sessions/{Uri.EscapeDataString(sessionId)}");
        return (session.GetProperty("refreshes").GetInt32(), session.GetProperty("rejected_refreshes").GetInt32());
    }

    /// <summary>Revokes the session at the emulator (as an admin would in the WorkOS dashboard).</summary>
    public async Task RevokeSessionAsync(string sessionId)
    {
        using var response = await _http.PostAsync($"_emulator/sessions/{Uri.EscapeDataString(sessionId)}/revoke", null);
        response.EnsureSuccessStatusCode();
    }

    public void Dispose() => _http.Dispose();
}
