using System.Text.Json;

namespace AuthKit.Session;

/// <summary>Maps WorkOS's snake_case JSON into AuthKit's types.</summary>
internal static class WorkOSWire
{
    private static readonly JsonElement EmptyObject = CreateEmptyObject();

    private static JsonElement CreateEmptyObject()
    {
        using var doc = JsonDocument.Parse("{}");
        return doc.RootElement.Clone();
    }

    /// <summary>Reads a 200 authenticate body. Returns null when a required member is missing.</summary>
    public static AuthenticationResponse? ReadAuthenticationResponse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object ||
            !root.TryGetProperty("user", out var userElement) ||
            ReadUser(userElement) is not { } user ||
            GetString(root, "access_token") is not { Length: > 0 } accessToken ||
            GetString(root, "refresh_token") is not { Length: > 0 } refreshToken)
        {
            return null;
        }

        Impersonator? impersonator = null;
        if (root.TryGetProperty("impersonator", out var imp) && imp.ValueKind == JsonValueKind.Object &&
            GetString(imp, "email") is { } impEmail)
        {
            impersonator = new Impersonator { Email = impEmail, Reason = GetString(imp, "reason") };
        }

        return new AuthenticationResponse
        {
            User = user,
            OrganizationId = GetString(root, "organization_id"),
            AccessToken = accessToken,
            RefreshToken = refreshToken,
            Impersonator = impersonator,
            AuthenticationMethod = GetString(root, "authentication_method"),
        };
    }

    /// <summary>
    /// Maps a snake_case API user into <see cref="WorkOSUser"/> the way <c>@workos-inc/node</c>'s
    /// <c>deserializeUser</c> does (<c>name</c>/<c>externalId</c> default null, <c>metadata</c> default <c>{}</c>),
    /// keeping members it does not know (renamed to camelCase) in <see cref="WorkOSUser.ExtensionData"/>.
    /// </summary>
    public static WorkOSUser? ReadUser(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object ||
            GetString(element, "id") is not { Length: > 0 } id)
        {
            return null;
        }

        var user = new WorkOSUser { Id = id, Email = GetString(element, "email") ?? string.Empty, Metadata = EmptyObject };
        foreach (var property in element.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "object": user.Object = AsString(value) ?? "user"; break;
                case "id": break;
                case "email": break;
                case "email_verified": user.EmailVerified = value.ValueKind == JsonValueKind.True; break;
                case "name": user.Name = AsString(value); break;
                case "first_name": user.FirstName = AsString(value); break;
                case "profile_picture_url": user.ProfilePictureUrl = AsString(value); break;
                case "last_name": user.LastName = AsString(value); break;
                case "last_sign_in_at": user.LastSignInAt = AsString(value); break;
                case "locale": user.Locale = AsString(value); break;
                case "created_at": user.CreatedAt = AsString(value); break;
                case "updated_at": user.UpdatedAt = AsString(value); break;
                case "external_id": user.ExternalId = AsString(value); break;
                case "metadata":
                    user.Metadata = value.ValueKind == JsonValueKind.Object ? value.Clone() : EmptyObject;
                    break;
                default:
                    user.ExtensionData ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                    user.ExtensionData[SnakeToCamel(property.Name)] = value.Clone();
                    break;
            }
        }

        return user;
    }

    public static IReadOnlyList<Organization> ReadOrganizations(JsonElement root)
    {
        if (!root.TryGetProperty("organizations", out var orgs) || orgs.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var list = new List<Organization>(orgs.GetArrayLength());
        foreach (var org in orgs.EnumerateArray())
        {
            if (org.ValueKind == JsonValueKind.Object && GetString(org, "id") is { } orgId)
            {
                list.Add(new Organization { Id = orgId, Name = GetString(org, "name") ?? string.Empty });
            }
        }

        return list;
    }

    /// <summary>A continuation-step answer (<c>code</c> or <c>error</c> naming the step, plus a pending token), or null.</summary>
    public static PendingAuthentication? ReadPendingAuthentication(JsonElement root, Func<string?, string?> safeText)
    {
        if (root.ValueKind != JsonValueKind.Object || GetString(root, "pending_authentication_token") is not { Length: > 0 } token)
        {
            return null;
        }

        var code = GetString(root, "code") is { Length: > 0 } c && PendingAuthentication.KindOf(c) != PendingAuthenticationKind.Other ? c
            : GetString(root, "error") is { Length: > 0 } e && PendingAuthentication.KindOf(e) != PendingAuthenticationKind.Other ? e
            : GetString(root, "code") ?? GetString(root, "error");
        if (code is null)
        {
            return null;
        }

        var factors = new List<AuthenticationFactor>();
        if (root.TryGetProperty("authentication_factors", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var f in list.EnumerateArray())
            {
                if (f.ValueKind == JsonValueKind.Object && GetString(f, "id") is { } id)
                {
                    factors.Add(new AuthenticationFactor { Id = id, Type = GetString(f, "type") ?? string.Empty });
                }
            }
        }

        string? challengeId = null;
        if (root.TryGetProperty("authentication_challenge", out var challenge) && challenge.ValueKind == JsonValueKind.Object)
        {
            challengeId = GetString(challenge, "id");
            if (factors.Count == 0 && GetString(challenge, "authentication_factor_id") is { } factorId)
            {
                factors.Add(new AuthenticationFactor { Id = factorId, Type = "totp" });
            }
        }

        var user = root.TryGetProperty("user", out var u) && u.ValueKind == JsonValueKind.Object ? ReadUser(u) : null;
        return new PendingAuthentication
        {
            Kind = PendingAuthentication.KindOf(code),
            Code = safeText(code) ?? code,
            Token = token,
            Message = safeText(GetString(root, "message") ?? GetString(root, "error_description")),
            User = user,
            Organizations = ReadOrganizations(root),
            EmailVerificationId = GetString(root, "email_verification_id"),
            Email = GetString(root, "email") ?? user?.Email,
            AuthenticationFactors = factors,
            AuthenticationChallengeId = challengeId,
        };
    }

    public static string? GetString(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) ? AsString(v) : null;

    private static string? AsString(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary><c>email_domain</c> -> <c>emailDomain</c>; names without underscores are returned as is.</summary>
    internal static string SnakeToCamel(string name)
    {
        if (name.IndexOf('_') < 0)
        {
            return name;
        }

        var builder = new System.Text.StringBuilder(name.Length);
        var upper = false;
        foreach (var c in name)
        {
            if (c == '_' && builder.Length > 0)
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return builder.ToString();
    }
}
