using AuthKit.Session;

namespace AuthKit.Testing.Internal;

internal sealed class SessionRecord
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public string? OrgId { get; set; }
    public DateTimeOffset AuthTime { get; init; }
    public Impersonator? Impersonator { get; init; }
    public string? BrowserSignInId { get; init; }
    public bool Ended { get; set; }
    public string CurrentRefreshToken { get; set; } = "";
}
