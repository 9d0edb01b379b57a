using System.Text.Json;
using System.Text.Json.Serialization;

namespace AuthKit.Session;

/// <summary>
/// A WorkOS user as sealed into the session cookie (camelCase, in the npm package's member order).
/// Members this type does not know are kept in <see cref="ExtensionData"/> so a read-modify-write loses nothing.
/// </summary>
public sealed class WorkOSUser
{
    /// <summary>Always <c>user</c>.</summary>
    public string Object { get; set; } = "user";
    /// <summary>User id (<c>user_...</c>).</summary>
    public required string Id { get; set; }
    /// <summary>Email address.</summary>
    public required string Email { get; set; }
    /// <summary>Whether the email address is verified.</summary>
    public bool EmailVerified { get; set; }
    /// <summary>Display name, when set.</summary>
    public string? Name { get; set; }
    /// <summary>First name.</summary>
    public string? FirstName { get; set; }
    /// <summary>Profile picture URL.</summary>
    public string? ProfilePictureUrl { get; set; }
    /// <summary>Last name.</summary>
    public string? LastName { get; set; }
    /// <summary>Last sign-in time, ISO 8601 text as sent by WorkOS.</summary>
    public string? LastSignInAt { get; set; }
    /// <summary>Locale; absent from the JSON when WorkOS sent none.</summary>
    public string? Locale { get; set; }
    /// <summary>Creation time, ISO 8601 text.</summary>
    public string? CreatedAt { get; set; }
    /// <summary>Last update time, ISO 8601 text.</summary>
    public string? UpdatedAt { get; set; }
    /// <summary>External id.</summary>
    public string? ExternalId { get; set; }
    /// <summary>Metadata object (JSON), <c>{}</c> by default.</summary>
    public JsonElement? Metadata { get; set; }
    /// <summary>Members not known to this type, preserved verbatim.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
