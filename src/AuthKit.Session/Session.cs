using System.Text.Json;
using System.Text.Json.Serialization;

namespace AuthKit.Session;

/// <summary>The session sealed into the cookie: <c>accessToken, refreshToken, user, impersonator?</c>.</summary>
public sealed class Session
{
    /// <summary>The WorkOS access token (JWT).</summary>
    public required string AccessToken { get; set; }
    /// <summary>The single-use WorkOS refresh token.</summary>
    public required string RefreshToken { get; set; }
    /// <summary>The signed-in user.</summary>
    public required WorkOSUser User { get; set; }
    /// <summary>The impersonator, omitted from the JSON when null.</summary>
    public Impersonator? Impersonator { get; set; }
    /// <summary>Members not known to this type, preserved verbatim.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
