namespace AuthKit.Session;

/// <summary>An organization membership.</summary>
public sealed record OrganizationMembership
{
    /// <summary>Membership id.</summary>
    public required string Id { get; init; }
    /// <summary>User id.</summary>
    public required string UserId { get; init; }
    /// <summary>Organization id.</summary>
    public required string OrganizationId { get; init; }
    /// <summary>Organization name, when sent.</summary>
    public string? OrganizationName { get; init; }
    /// <summary>Role slug.</summary>
    public string? Role { get; init; }
    /// <summary><c>active</c>, <c>inactive</c> or <c>pending</c>.</summary>
    public string? Status { get; init; }
}
