namespace AuthKit.Testing.Internal;

internal sealed class MembershipRecord
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public required string OrgId { get; init; }
    public required string Role { get; set; }
    public required string Status { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}
