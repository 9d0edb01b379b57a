using System.Text.Json;

namespace AuthKit.Session;

/// <summary>Typed view of a WorkOS access token's claims (see WORKOS-API.md).</summary>
public sealed class AccessTokenClaims
{
    private readonly JsonElement _payload;

    /// <summary>Creates the view over a JWT payload object.</summary>
    public AccessTokenClaims(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("The JWT payload must be a JSON object.", nameof(payload));
        }

        _payload = payload.Clone();
        Subject = GetString("sub");
        SessionId = GetString("sid");
        OrganizationId = GetString("org_id");
        Role = GetString("role");
        Roles = GetStrings("roles");
        Permissions = GetStrings("permissions");
        Entitlements = GetStrings("entitlements");
        FeatureFlags = GetStrings("feature_flags");
        TokenId = GetString("jti");
        ClientId = GetString("client_id");
        Issuer = GetString("iss");
        ExpiresAt = GetTime("exp");
        IssuedAt = GetTime("iat");
        AuthTime = GetTime("auth_time");
        if (_payload.TryGetProperty("act", out var act) && act.ValueKind == JsonValueKind.Object &&
            act.TryGetProperty("sub", out var actSub) && actSub.ValueKind == JsonValueKind.String)
        {
            ActorSubject = actSub.GetString();
        }
    }

    /// <summary><c>sub</c>: the user id.</summary>
    public string? Subject { get; }
    /// <summary><c>sid</c>: the session id.</summary>
    public string? SessionId { get; }
    /// <summary><c>org_id</c>, when organization-scoped.</summary>
    public string? OrganizationId { get; }
    /// <summary><c>role</c>.</summary>
    public string? Role { get; }
    /// <summary><c>roles</c> (empty when absent).</summary>
    public IReadOnlyList<string> Roles { get; }
    /// <summary><c>permissions</c> (empty when absent).</summary>
    public IReadOnlyList<string> Permissions { get; }
    /// <summary><c>entitlements</c> (empty when absent).</summary>
    public IReadOnlyList<string> Entitlements { get; }
    /// <summary><c>feature_flags</c> (empty when absent).</summary>
    public IReadOnlyList<string> FeatureFlags { get; }
    /// <summary><c>act.sub</c>: the impersonator, when impersonating.</summary>
    public string? ActorSubject { get; }
    /// <summary><c>jti</c>.</summary>
    public string? TokenId { get; }
    /// <summary><c>client_id</c>.</summary>
    public string? ClientId { get; }
    /// <summary><c>iss</c>.</summary>
    public string? Issuer { get; }
    /// <summary><c>exp</c>, or null when absent.</summary>
    public DateTimeOffset? ExpiresAt { get; }
    /// <summary><c>iat</c>, or null when absent.</summary>
    public DateTimeOffset? IssuedAt { get; }
    /// <summary><c>auth_time</c>, or null when absent.</summary>
    public DateTimeOffset? AuthTime { get; }

    /// <summary>Reads any claim, including custom ones.</summary>
    public bool TryGetClaim(string name, out JsonElement value) => _payload.TryGetProperty(name, out value);

    private string? GetString(string name) =>
        _payload.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private IReadOnlyList<string> GetStrings(string name)
    {
        if (!_payload.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var list = new List<string>(v.GetArrayLength());
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                list.Add(item.GetString()!);
            }
        }

        return list;
    }

    // Seconds representable as a DateTimeOffset (0001-01-01 .. 9999-12-31); anything else counts as absent.
    private const double MinUnixSeconds = -62_135_596_800;
    private const double MaxUnixSeconds = 253_402_300_799;

    private DateTimeOffset? GetTime(string name) =>
        _payload.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var seconds) &&
        double.IsFinite(seconds) && seconds >= MinUnixSeconds && seconds <= MaxUnixSeconds
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : null;
}
