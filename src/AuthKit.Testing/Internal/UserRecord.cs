using AuthKit.Session;

namespace AuthKit.Testing.Internal;

internal sealed class UserRecord
{
    public required string Id { get; init; }
    public required string Email { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Password { get; init; }
    public bool EmailVerified { get; set; }
    public string? TotpSecret { get; init; }
    public bool PicksOrganizationInApplication { get; init; }
    public string? ProfilePictureUrl { get; init; }
    public string? ExternalId { get; init; }
    public string? Locale { get; init; }
    public Dictionary<string, string> Metadata { get; init; } = [];
    public Impersonator? Impersonator { get; init; }
    public string[] FeatureFlags { get; init; } = [];
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? LastSignInAt { get; set; }

    public string DisplayName => string.Join(' ', new[] { FirstName, LastName }.Where(s => !string.IsNullOrEmpty(s)));
}
