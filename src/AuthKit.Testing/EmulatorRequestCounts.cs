namespace AuthKit.Testing;

/// <summary>
/// A snapshot of how many requests the emulator has received since start (or <see cref="WorkOSEmulator.ResetRequestCounts"/>).
/// Requests answered by an injected fault are counted too; control-surface requests are not.
/// </summary>
public sealed record EmulatorRequestCounts
{
    /// <summary><c>GET /user_management/authorize</c> requests.</summary>
    public int Authorize { get; init; }
    /// <summary>Authenticate calls with <c>grant_type=authorization_code</c>.</summary>
    public int AuthorizationCode { get; init; }
    /// <summary>Authenticate calls with <c>grant_type=refresh_token</c>.</summary>
    public int RefreshToken { get; init; }
    /// <summary>Authenticate calls with the organization-selection grant.</summary>
    public int OrganizationSelection { get; init; }
    /// <summary>Authenticate calls with the email-verification grant.</summary>
    public int EmailVerification { get; init; }
    /// <summary>Authenticate calls with the <c>mfa-totp</c> grant.</summary>
    public int MfaTotp { get; init; }
    /// <summary>Authenticate calls with a missing or unknown grant type.</summary>
    public int OtherGrant { get; init; }
    /// <summary>JWKS requests.</summary>
    public int Jwks { get; init; }
    /// <summary>Logout requests.</summary>
    public int Logout { get; init; }
    /// <summary>Session revoke requests.</summary>
    public int Revoke { get; init; }
    /// <summary>Organization membership list requests.</summary>
    public int OrganizationMemberships { get; init; }
    /// <summary>Get-organization requests.</summary>
    public int Organizations { get; init; }
    /// <summary>All requests outside the control surface.</summary>
    public int Total { get; init; }
    /// <summary>Requests answered by an injected fault.</summary>
    public int FaultsServed { get; init; }
    /// <summary>Refresh grants rejected because the token was unknown, already used, expired, or its session ended.</summary>
    public int RejectedRefreshTokens { get; init; }
    /// <summary><c>POST /api_keys/validations</c> requests.</summary>
    public int ApiKeyValidations { get; init; }
    /// <summary>Sessions currently active (not revoked, not logged out, refresh token not expired). Not reset by <see cref="WorkOSEmulator.ResetRequestCounts"/>.</summary>
    public int ActiveSessions { get; init; }
}
