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

/// <summary>Parameters of <see cref="IWorkOSUserManagement.GetAuthorizationUrl"/>.</summary>
public sealed record AuthorizationUrlRequest
{
    /// <summary>Where WorkOS sends the browser back.</summary>
    public required string RedirectUri { get; init; }
    /// <summary>The sealed state (also the verifier cookie value).</summary>
    public required string State { get; init; }
    /// <summary>The S256 PKCE challenge.</summary>
    public required string CodeChallenge { get; init; }
    /// <summary>Provider; default <c>authkit</c>.</summary>
    public string Provider { get; init; } = "authkit";
    /// <summary><c>sign-in</c> or <c>sign-up</c>.</summary>
    public string? ScreenHint { get; init; }
    /// <summary>Organization to sign in to.</summary>
    public string? OrganizationId { get; init; }
    /// <summary>Email to pre-fill.</summary>
    public string? LoginHint { get; init; }
    /// <summary>Domain hint.</summary>
    public string? DomainHint { get; init; }
    /// <summary><c>login</c>, <c>none</c>, <c>consent</c> or <c>select_account</c>.</summary>
    public string? Prompt { get; init; }
    /// <summary>Maximum authentication age.</summary>
    public TimeSpan? MaxAge { get; init; }
}

/// <summary>An organization membership.</summary>
public sealed record OrganizationMembership
{
    /// <summary>Membership id.</summary>
    public required string Id { get; init; }
    /// <summary>User id.</summary>
    public required string UserId { get; init; }
    /// <summary>Organization id.</summary>
    public required string OrganizationId { get; init; }
    /// <summary>Organization name, when sent.</summary>
    public string? OrganizationName { get; init; }
    /// <summary>Role slug.</summary>
    public string? Role { get; init; }
    /// <summary><c>active</c>, <c>inactive</c> or <c>pending</c>.</summary>
    public string? Status { get; init; }
}

/// <summary>An organization.</summary>
public sealed record Organization
{
    /// <summary>Organization id.</summary>
    public required string Id { get; init; }
    /// <summary>Name.</summary>
    public required string Name { get; init; }
}
