namespace AuthKit.Session;

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
    /// <summary>An SSO or OAuth connection to sign in with (<c>connection_id</c>).</summary>
    public string? ConnectionId { get; init; }
    /// <summary>An invitation to accept (<c>invitation_token</c>).</summary>
    public string? InvitationToken { get; init; }
    /// <summary>Domain hint.</summary>
    public string? DomainHint { get; init; }
    /// <summary><c>login</c>, <c>none</c>, <c>consent</c> or <c>select_account</c>.</summary>
    public string? Prompt { get; init; }
    /// <summary>Maximum authentication age.</summary>
    public TimeSpan? MaxAge { get; init; }
}
