using System.Text.Json;
using System.Text.Json.Serialization;

namespace AuthKit.Session;

/// <summary>Who is impersonating the user, as WorkOS reports it.</summary>
public sealed class Impersonator
{
    /// <summary>Email of the impersonating admin.</summary>
    public required string Email { get; set; }
    /// <summary>Reason given, or null.</summary>
    public string? Reason { get; set; }
    /// <summary>Members not known to this type, preserved verbatim.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
