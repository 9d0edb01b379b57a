namespace AuthKit.Testing.Internal;

internal sealed class PendingRecord
{
    public required string UserId { get; init; }
    public DateTimeOffset AuthTime { get; init; }
    public required string Method { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public string? BrowserSignInId { get; init; }
}
