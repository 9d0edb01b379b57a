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
    /// <summary>Refresh grants of this session that were answered with new tokens.</summary>
    public int Refreshes { get; set; }
    /// <summary>Refresh grants with one of this session's refresh tokens that were rejected (used, expired, session ended).</summary>
    public int RejectedRefreshes { get; set; }
}
