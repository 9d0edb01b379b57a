namespace AuthKit.Session;

/// <summary>A WorkOS API key as <c>POST /api_keys/validations</c> returns it (never its secret value).</summary>
public sealed record WorkOSApiKey
{
    /// <summary>Key id (<c>api_key_...</c>).</summary>
    public required string Id { get; init; }
    /// <summary>Name given when the key was created.</summary>
    public string? Name { get; init; }
    /// <summary>Who owns the key.</summary>
    public required WorkOSApiKeyOwner Owner { get; init; }
    /// <summary>The key's permissions (empty when none).</summary>
    public IReadOnlyList<string> Permissions { get; init; } = [];
    /// <summary>The obfuscated value (<c>sk_...3456</c>), for display.</summary>
    public string? ObfuscatedValue { get; init; }
    /// <summary>When the key was created, when sent.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
    /// <summary>When the key was last used, when sent.</summary>
    public DateTimeOffset? LastUsedAt { get; init; }
    /// <summary>When the key expires, when it does.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>The owner of a WorkOS API key: an organization, or a user within an organization.</summary>
public sealed record WorkOSApiKeyOwner
{
    /// <summary><c>organization</c> or <c>user</c>.</summary>
    public required string Type { get; init; }
    /// <summary>The organization id (organization-owned) or the user id (user-owned).</summary>
    public required string Id { get; init; }
    /// <summary>For a user-owned key, the organization the key can access; otherwise null.</summary>
    public string? OrganizationId { get; init; }

    /// <summary>Whether a user owns the key.</summary>
    public bool IsUser => string.Equals(Type, "user", StringComparison.Ordinal);
}
