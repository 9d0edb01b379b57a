namespace AuthKit.Testing.Internal;

/// <summary>A validated <c>/user_management/authorize</c> request waiting for the sign-in page.</summary>
internal sealed class AuthRequest
{
    public required string Id { get; init; }
    public required string RedirectUri { get; init; }
    public string? State { get; init; }
    public required string Challenge { get; init; }
    public string? ScreenHint { get; init; }
    public string? OrganizationId { get; init; }
    public string? LoginHint { get; init; }
    public string? Prompt { get; init; }
    public TimeSpan? MaxAge { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Set once the user has authenticated but still has to pick an organization.</summary>
    public string? UserId { get; set; }
    public DateTimeOffset? AuthTime { get; set; }
    public string? Method { get; set; }
    public string? BrowserSignInId { get; set; }
    public bool Completed { get; set; }
}
