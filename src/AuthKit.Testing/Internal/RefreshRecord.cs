namespace AuthKit.Testing.Internal;

internal sealed class RefreshRecord
{
    public required string SessionId { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public bool Used { get; set; }
}
