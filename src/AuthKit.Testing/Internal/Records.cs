using AuthKit.Session;

namespace AuthKit.Testing.Internal;

internal sealed class UserRecord
{
    public required string Id { get; init; }
    public required string Email { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Password { get; init; }
    public bool EmailVerified { get; init; }
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

internal sealed class OrgRecord
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string[] Entitlements { get; init; } = [];
    public string[] FeatureFlags { get; init; } = [];
    public DateTimeOffset CreatedAt { get; init; }
}

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

internal sealed class RoleRecord
{
    public required string Slug { get; init; }
    public required string Name { get; init; }
    public string[] Permissions { get; init; } = [];
}

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

internal sealed class RefreshRecord
{
    public required string SessionId { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public bool Used { get; set; }
}

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

internal sealed class PendingRecord
{
    public required string UserId { get; init; }
    public DateTimeOffset AuthTime { get; init; }
    public required string Method { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public string? BrowserSignInId { get; init; }
}

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

/// <summary>The emulator's remembered sign-in for one browser (cookie on the emulator origin).</summary>
internal sealed class BrowserSignIn
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public DateTimeOffset AuthTime { get; init; }
    public bool Ended { get; set; }
}

/// <summary>A JSON API answer: status + body (+ optional headers).</summary>
internal readonly record struct ApiAnswer(int Status, System.Text.Json.Nodes.JsonObject Body);
