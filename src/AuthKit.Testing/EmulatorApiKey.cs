namespace AuthKit.Testing;

/// <summary>
/// A WorkOS API key the emulator knows (seeded, or created with <see cref="WorkOSEmulator.CreateApiKey"/>): owned by an
/// organization (<see cref="OrganizationId"/> only) or by a user within an organization (<see cref="UserId"/> and
/// <see cref="OrganizationId"/>). <c>POST /api_keys/validations</c> answers it as WorkOS does.
/// </summary>
public sealed class EmulatorApiKey
{
    /// <summary>Key id. Default: generated (<c>api_key_...</c>).</summary>
    public string? Id { get; set; }
    /// <summary>Display name. Required.</summary>
    public string Name { get; set; } = "";
    /// <summary>The secret value clients send; must start with <c>sk_</c> and be unique. Default: generated.</summary>
    public string? Value { get; set; }
    /// <summary>The owning organization (organization-owned key), or the organization a user-owned key can access. Required.</summary>
    public string OrganizationId { get; set; } = "";
    /// <summary>For a user-owned key, the owning user (an active member of <see cref="OrganizationId"/>). Default none: organization-owned.</summary>
    public string? UserId { get; set; }
    /// <summary>The key's permissions. Default empty.</summary>
    public IList<string> Permissions { get; set; } = [];
    /// <summary>When the key stops validating. Default never.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
}
