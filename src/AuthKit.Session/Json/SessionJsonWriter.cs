using System.Text.Json;

namespace AuthKit.Session.Json;

/// <summary>
/// Writes <see cref="Session"/> and <see cref="PkceState"/> as the npm package does (SEAL-FORMAT.md §11): member order
/// <c>accessToken, refreshToken, user, impersonator</c> (omitted when null), the user in <c>deserializeUser</c> order with
/// <c>locale</c> omitted when null, PKCE state <c>nonce, codeVerifier, returnPathname?, customState?, redirectUri?, issuedAt</c>.
/// Unknown members kept in extension data are written after the known ones.
/// </summary>
internal static class SessionJsonWriter
{
    public static void Write(PooledUtf8Buffer o, Session session)
    {
        o.Write("{\"accessToken\":"u8);
        JsJsonWriter.WriteString(o, session.AccessToken);
        o.Write(",\"refreshToken\":"u8);
        JsJsonWriter.WriteString(o, session.RefreshToken);
        o.Write(",\"user\":"u8);
        Write(o, session.User);
        if (session.Impersonator is { } impersonator)
        {
            o.Write(",\"impersonator\":"u8);
            o.Write("{\"email\":"u8);
            JsJsonWriter.WriteString(o, impersonator.Email);
            o.Write(",\"reason\":"u8);
            WriteNullableString(o, impersonator.Reason);
            WriteExtensionData(o, impersonator.ExtensionData, ImpersonatorMembers);
            o.Write((byte)'}');
        }
        WriteExtensionData(o, session.ExtensionData, SessionMembers);
        o.Write((byte)'}');
    }

    public static void Write(PooledUtf8Buffer o, WorkOSUser user)
    {
        o.Write("{\"object\":"u8);
        JsJsonWriter.WriteString(o, user.Object);
        o.Write(",\"id\":"u8);
        JsJsonWriter.WriteString(o, user.Id);
        o.Write(",\"email\":"u8);
        JsJsonWriter.WriteString(o, user.Email);
        o.Write(user.EmailVerified ? ",\"emailVerified\":true"u8 : ",\"emailVerified\":false"u8);
        o.Write(",\"name\":"u8);
        WriteNullableString(o, user.Name);
        o.Write(",\"firstName\":"u8);
        WriteNullableString(o, user.FirstName);
        o.Write(",\"profilePictureUrl\":"u8);
        WriteNullableString(o, user.ProfilePictureUrl);
        o.Write(",\"lastName\":"u8);
        WriteNullableString(o, user.LastName);
        o.Write(",\"lastSignInAt\":"u8);
        WriteNullableString(o, user.LastSignInAt);
        if (user.Locale is not null)
        {
            o.Write(",\"locale\":"u8);
            JsJsonWriter.WriteString(o, user.Locale);
        }
        o.Write(",\"createdAt\":"u8);
        WriteNullableString(o, user.CreatedAt);
        o.Write(",\"updatedAt\":"u8);
        WriteNullableString(o, user.UpdatedAt);
        o.Write(",\"externalId\":"u8);
        WriteNullableString(o, user.ExternalId);
        o.Write(",\"metadata\":"u8);
        if (user.Metadata is { ValueKind: not JsonValueKind.Undefined } metadata) JsJsonWriter.WriteElement(o, metadata);
        else o.Write("{}"u8);
        WriteExtensionData(o, user.ExtensionData, UserMembers);
        o.Write((byte)'}');
    }

    public static void Write(PooledUtf8Buffer o, PkceState state)
    {
        o.Write("{\"nonce\":"u8);
        JsJsonWriter.WriteString(o, state.Nonce);
        o.Write(",\"codeVerifier\":"u8);
        JsJsonWriter.WriteString(o, state.CodeVerifier);
        if (state.ReturnPathname is not null)
        {
            o.Write(",\"returnPathname\":"u8);
            JsJsonWriter.WriteString(o, state.ReturnPathname);
        }
        if (state.CustomState is not null)
        {
            o.Write(",\"customState\":"u8);
            JsJsonWriter.WriteString(o, state.CustomState);
        }
        if (state.RedirectUri is not null)
        {
            o.Write(",\"redirectUri\":"u8);
            JsJsonWriter.WriteString(o, state.RedirectUri);
        }
        o.Write(",\"issuedAt\":"u8);
        JsJsonWriter.WriteNumber(o, state.IssuedAt);
        o.Write((byte)'}');
    }

    private static void WriteNullableString(PooledUtf8Buffer o, string? value)
    {
        if (value is null) o.Write("null"u8);
        else JsJsonWriter.WriteString(o, value);
    }

    private static readonly HashSet<string> SessionMembers = new(StringComparer.Ordinal) { "accessToken", "refreshToken", "user", "impersonator" };
    private static readonly HashSet<string> ImpersonatorMembers = new(StringComparer.Ordinal) { "email", "reason" };
    private static readonly HashSet<string> UserMembers = new(StringComparer.Ordinal)
    {
        "object", "id", "email", "emailVerified", "name", "firstName", "profilePictureUrl", "lastName", "lastSignInAt", "locale",
        "createdAt", "updatedAt", "externalId", "metadata",
    };

    private static void WriteExtensionData(PooledUtf8Buffer o, Dictionary<string, JsonElement>? extra, HashSet<string> known)
    {
        if (extra is null) return;
        foreach (KeyValuePair<string, JsonElement> member in extra)
        {
            // A known name in extension data (set by hand) would duplicate a member; the typed property wins.
            if (known.Contains(member.Key) || member.Value.ValueKind == JsonValueKind.Undefined) continue;
            o.Write((byte)',');
            JsJsonWriter.WritePropertyName(o, member.Key);
            JsJsonWriter.WriteElement(o, member.Value);
        }
    }
}
