namespace AuthKit.Session;

/// <summary>The WorkOS User Management endpoints AuthKit uses (see WORKOS-API.md).</summary>
public interface IWorkOSUserManagement
{
    /// <summary>Builds the AuthKit authorization URL the browser is redirected to.</summary>
    Uri GetAuthorizationUrl(AuthorizationUrlRequest request);

    /// <summary>Exchanges an authorization code (with its PKCE verifier) for tokens. Never retried.</summary>
    Task<AuthenticationResponse> AuthenticateWithCodeAsync(string code, string codeVerifier, CancellationToken cancellationToken = default);

    /// <summary>Exchanges a single-use refresh token for new tokens, optionally re-scoping to an organization. Never retried.</summary>
    Task<AuthenticationResponse> AuthenticateWithRefreshTokenAsync(string refreshToken, string? organizationId = null, CancellationToken cancellationToken = default);

    /// <summary>Completes an <c>organization_selection_required</c> sign-in by choosing an organization.</summary>
    Task<AuthenticationResponse> AuthenticateWithOrganizationSelectionAsync(string pendingAuthenticationToken, string organizationId, CancellationToken cancellationToken = default);

    /// <summary>Completes an <c>email_verification_required</c> sign-in with the emailed code (grant <c>urn:workos:oauth:grant-type:email-verification:code</c>).</summary>
    Task<AuthenticationResponse> AuthenticateWithEmailVerificationAsync(string pendingAuthenticationToken, string code, CancellationToken cancellationToken = default);

    /// <summary>Completes an <c>mfa_challenge</c> sign-in with a TOTP code for a challenge (grant <c>urn:workos:oauth:grant-type:mfa-totp</c>).</summary>
    Task<AuthenticationResponse> AuthenticateWithTotpAsync(string pendingAuthenticationToken, string authenticationChallengeId, string code, CancellationToken cancellationToken = default);

    /// <summary>Creates a challenge for an authentication factor (<c>POST /auth/factors/{id}/challenge</c>) and returns its id.</summary>
    Task<string> ChallengeAuthenticationFactorAsync(string authenticationFactorId, CancellationToken cancellationToken = default);

    /// <summary>The logout URL that ends <paramref name="sessionId"/> at WorkOS and returns to <paramref name="returnTo"/>.</summary>
    Uri GetLogoutUrl(string sessionId, string? returnTo = null);

    /// <summary>The JWKS URL for the configured client id.</summary>
    Uri GetJwksUrl();

    /// <summary>Revokes a session at WorkOS.</summary>
    Task RevokeSessionAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>Lists a user's active organization memberships.</summary>
    Task<IReadOnlyList<OrganizationMembership>> ListOrganizationMembershipsAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Gets an organization.</summary>
    Task<Organization> GetOrganizationAsync(string organizationId, CancellationToken cancellationToken = default);
}
