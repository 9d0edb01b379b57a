namespace AuthKit.Testing.Internal;

/// <summary>
/// A sign-in that stopped at a continuation step (email verification, MFA challenge, organization selection), keyed by its
/// pending authentication token. It remembers what the code carried so the grant that completes the step can go on.
/// </summary>
internal sealed class PendingRecord
{
    public required string UserId { get; init; }
    public DateTimeOffset AuthTime { get; init; }
    public required string Method { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public string? BrowserSignInId { get; init; }

    /// <summary>The organization the code was bound to, if any.</summary>
    public string? OrgId { get; init; }

    /// <summary>Whether a user with several memberships still has to choose (no organization in the request).</summary>
    public bool NeedsOrganizationSelection { get; init; }

    /// <summary>The second factor was proven in this sign-in.</summary>
    public bool MfaPassed { get; init; }
}

/// <summary>An email verification code sent to a user (readable through the control surface).</summary>
internal sealed class EmailVerificationRecord
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public required string Email { get; init; }
    public required string Code { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>An authentication challenge of a user's TOTP factor.</summary>
internal sealed class ChallengeRecord
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public required string FactorId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
}
