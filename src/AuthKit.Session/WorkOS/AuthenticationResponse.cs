namespace AuthKit.Session;

/// <summary>The 200 body of <c>POST /user_management/authenticate</c>.</summary>
public sealed class AuthenticationResponse
{
    /// <summary>The user.</summary>
    public required WorkOSUser User { get; init; }
    /// <summary>The organization the session is scoped to, if any.</summary>
    public string? OrganizationId { get; init; }
    /// <summary>New access token.</summary>
    public required string AccessToken { get; init; }
    /// <summary>New refresh token (the presented one is now dead).</summary>
    public required string RefreshToken { get; init; }
    /// <summary>Impersonator, when impersonating.</summary>
    public Impersonator? Impersonator { get; init; }
    /// <summary>How the user authenticated (e.g. <c>Password</c>), when sent.</summary>
    public string? AuthenticationMethod { get; init; }
}
