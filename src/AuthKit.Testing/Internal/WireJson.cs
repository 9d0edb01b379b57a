using System.Globalization;
using System.Text.Json.Nodes;

namespace AuthKit.Testing.Internal;

/// <summary>JSON shapes of the WorkOS entities (snake_case wire format).</summary>
internal static class WireJson
{
    public static string Timestamp(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static JsonObject User(UserRecord u)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in u.Metadata)
        {
            metadata[key] = value;
        }

        return new JsonObject
        {
            ["object"] = "user",
            ["id"] = u.Id,
            ["email"] = u.Email,
            ["email_verified"] = u.EmailVerified,
            ["first_name"] = u.FirstName,
            ["last_name"] = u.LastName,
            ["profile_picture_url"] = u.ProfilePictureUrl,
            ["last_sign_in_at"] = u.LastSignInAt is { } last ? Timestamp(last) : null,
            ["external_id"] = u.ExternalId,
            ["metadata"] = metadata,
            ["locale"] = u.Locale,
            ["name"] = null,
            ["created_at"] = Timestamp(u.CreatedAt),
            ["updated_at"] = Timestamp(u.UpdatedAt),
        };
    }

    public static JsonObject Organization(OrgRecord o) => new()
    {
        ["object"] = "organization",
        ["id"] = o.Id,
        ["name"] = o.Name,
        ["allow_profiles_outside_organization"] = false,
        ["domains"] = new JsonArray(),
        ["external_id"] = null,
        ["metadata"] = new JsonObject(),
        ["created_at"] = Timestamp(o.CreatedAt),
        ["updated_at"] = Timestamp(o.CreatedAt),
    };

    public static JsonObject Membership(MembershipRecord m, OrgRecord o) => new()
    {
        ["object"] = "organization_membership",
        ["id"] = m.Id,
        ["user_id"] = m.UserId,
        ["organization_id"] = m.OrgId,
        ["organization_name"] = o.Name,
        ["role"] = new JsonObject { ["slug"] = m.Role },
        ["status"] = m.Status,
        ["created_at"] = Timestamp(m.CreatedAt),
        ["updated_at"] = Timestamp(m.UpdatedAt),
    };

    public static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
