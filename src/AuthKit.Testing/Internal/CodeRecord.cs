namespace AuthKit.Testing.Internal;

internal sealed class CodeRecord
{
    public required string ClientId { get; init; }
    public required string Challenge { get; init; }
    public required string UserId { get; init; }
    public string? OrgId { get; init; }
    public bool NeedsOrganizationSelection { get; init; }
    public DateTimeOffset AuthTime { get; init; }
    public required string Method { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public string? BrowserSignInId { get; init; }
}
