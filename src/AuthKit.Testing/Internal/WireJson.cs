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

    /// <summary>An <c>authentication_factor</c> of type <c>totp</c> (the secret is never sent after enrolment).</summary>
    public static JsonObject TotpFactor(string id, UserRecord user, string issuer) => new()
    {
        ["object"] = "authentication_factor",
        ["id"] = id,
        ["type"] = "totp",
        ["user_id"] = user.Id,
        ["totp"] = new JsonObject { ["issuer"] = issuer, ["user"] = user.Email },
        ["created_at"] = Timestamp(user.CreatedAt),
        ["updated_at"] = Timestamp(user.CreatedAt),
    };

    /// <summary>An <c>authentication_challenge</c> (no code: a TOTP code comes from the user's app).</summary>
    public static JsonObject Challenge(ChallengeRecord c) => new()
    {
        ["object"] = "authentication_challenge",
        ["id"] = c.Id,
        ["authentication_factor_id"] = c.FactorId,
        ["expires_at"] = Timestamp(c.ExpiresAt),
        ["created_at"] = Timestamp(c.CreatedAt),
        ["updated_at"] = Timestamp(c.CreatedAt),
    };

    public static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
