using System.Text.Json;

namespace AuthKit.Session;

/// <summary>Typed view of a WorkOS access token's claims (see WORKOS-API.md).</summary>
public sealed class AccessTokenClaims
{
    private readonly JsonElement _payload;

    /// <summary>Creates the view over a JWT payload object.</summary>
    public AccessTokenClaims(JsonElement payload)
        : this(payload, clone: true)
    {
    }

    /// <summary>
    /// Creates the view; <paramref name="clone"/> false when <paramref name="payload"/> already owns its memory (parsed
    /// with <see cref="JsonElement.ParseValue(ref Utf8JsonReader)"/>), saving a copy on the per-request path. The claims
    /// are read in one pass over the object; for a repeated name the last one wins (as <c>JSON.parse</c>).
    /// </summary>
    internal AccessTokenClaims(JsonElement payload, bool clone)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("The JWT payload must be a JSON object.", nameof(payload));
        }

        _payload = clone ? payload.Clone() : payload;
        Roles = Permissions = Entitlements = FeatureFlags = [];
        foreach (var property in _payload.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "sub": Subject = AsString(value); break;
                case "sid": SessionId = AsString(value); break;
                case "org_id": OrganizationId = AsString(value); break;
                case "role": Role = AsString(value); break;
                case "roles": Roles = AsStrings(value); break;
                case "permissions": Permissions = AsStrings(value); break;
                case "entitlements": Entitlements = AsStrings(value); break;
                case "feature_flags": FeatureFlags = AsStrings(value); break;
                case "jti": TokenId = AsString(value); break;
                case "client_id": ClientId = AsString(value); break;
                case "iss": Issuer = AsString(value); break;
                case "exp": ExpiresAt = AsTime(value); break;
                case "iat": IssuedAt = AsTime(value); break;
                case "auth_time": AuthTime = AsTime(value); break;
                case "act":
                    ActorSubject = value.ValueKind == JsonValueKind.Object && value.TryGetProperty("sub", out var actSub) ? AsString(actSub) : null;
                    break;
            }
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

    private static string? AsString(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IReadOnlyList<string> AsStrings(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var list = new List<string>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
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

    private static DateTimeOffset? AsTime(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds) &&
        double.IsFinite(seconds) && seconds >= MinUnixSeconds && seconds <= MaxUnixSeconds
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : null;
}
