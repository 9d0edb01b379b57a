using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using AuthKit.Session;

namespace AuthKit.Blazor.Internal;

/// <summary>
/// What the server hands to WebAssembly about the signed-in session (persisted component state, the session endpoint's
/// <c>state</c>): the user, the impersonator and the access token's claims that describe the session (subject, session,
/// organization, roles, permissions, entitlements, feature flags, expiry). Never the access or refresh token: the
/// client's <see cref="AuthResult"/> has empty tokens.
/// </summary>
internal sealed class AuthKitClientState
{
    /// <summary>The persisted component state's key.</summary>
    public const string PersistenceKey = "AuthKit.Blazor.AuthenticationState";

    /// <summary>The signed-in user.</summary>
    public required WorkOSUser User { get; init; }

    /// <summary>The impersonator, when impersonated.</summary>
    public Impersonator? Impersonator { get; init; }

    /// <summary>The session's claims (a JSON object with the access token's claim names).</summary>
    public required JsonElement Claims { get; init; }

    /// <summary>The state of a signed-in <paramref name="auth"/>; null when anonymous.</summary>
    public static AuthKitClientState? From(AuthResult auth)
    {
        if (!auth.IsAuthenticated)
        {
            return null;
        }

        var claims = auth.Claims;
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            WriteString(writer, "sub", claims.Subject ?? auth.User.Id);
            WriteString(writer, "sid", auth.SessionId);
            WriteString(writer, "org_id", claims.OrganizationId);
            WriteString(writer, "role", claims.Role);
            WriteStrings(writer, "roles", claims.Roles);
            WriteStrings(writer, "permissions", claims.Permissions);
            WriteStrings(writer, "entitlements", claims.Entitlements);
            WriteStrings(writer, "feature_flags", claims.FeatureFlags);
            if (claims.ExpiresAt is { } exp)
            {
                writer.WriteNumber("exp", exp.ToUnixTimeSeconds());
            }

            if (claims.IssuedAt is { } iat)
            {
                writer.WriteNumber("iat", iat.ToUnixTimeSeconds());
            }

            if (claims.ActorSubject is { } actor)
            {
                writer.WriteStartObject("act");
                writer.WriteString("sub", actor);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return new AuthKitClientState { User = auth.User, Impersonator = auth.Impersonator, Claims = document.RootElement.Clone() };
    }

    /// <summary>The state as JSON (source-generated, trimming-safe).</summary>
    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, AuthKitClientStateJsonContext.Default.AuthKitClientState);

    /// <summary>
    /// The <see cref="AuthResult"/> of a state read back from JSON; <see cref="AuthResult.Anonymous"/> when the JSON is
    /// not a usable state (no user id or email, no claims object). Its tokens are empty strings.
    /// </summary>
    public static AuthResult ToAuthResult(JsonElement json)
    {
        try
        {
            if (json.ValueKind != JsonValueKind.Object
                || json.Deserialize(AuthKitClientStateJsonContext.Default.AuthKitClientState) is not { } state
                || string.IsNullOrEmpty(state.User?.Id) || string.IsNullOrEmpty(state.User.Email)
                || state.Claims.ValueKind != JsonValueKind.Object)
            {
                return AuthResult.Anonymous;
            }

            var session = new AuthKit.Session.Session
            {
                AccessToken = string.Empty,
                RefreshToken = string.Empty,
                User = state.User,
                Impersonator = state.Impersonator,
            };
            return AuthResult.FromSession(session, new AccessTokenClaims(state.Claims));
        }
        catch (JsonException)
        {
            return AuthResult.Anonymous;
        }
    }

    private static void WriteString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}

/// <summary>Source-generated JSON for <see cref="AuthKitClientState"/>.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(AuthKitClientState))]
internal sealed partial class AuthKitClientStateJsonContext : JsonSerializerContext;

/// <summary>Client settings the server hands to WebAssembly with the state (persisted component state).</summary>
internal static class AuthKitClientSettings
{
    /// <summary>The persisted component state's key.</summary>
    public const string PersistenceKey = "AuthKit.Blazor.ClientSettings";

    /// <summary>The member with the session check interval in milliseconds.</summary>
    public const string SessionCheckIntervalMs = "sessionCheckIntervalMs";
}
