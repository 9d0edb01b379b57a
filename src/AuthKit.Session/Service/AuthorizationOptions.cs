namespace AuthKit.Session;

/// <summary>Options of <see cref="AuthService{TRequest, TResponse}.CreateAuthorizationAsync"/>.</summary>
public sealed record AuthorizationOptions
{
    /// <summary>Where to return after sign-in (sanitized when read back). Default none (<c>/</c>).</summary>
    public string? ReturnPathname { get; init; }

    /// <summary>Application state returned by the callback, at most 2048 UTF-8 bytes. Default none.</summary>
    public string? State { get; init; }

    /// <summary>A per-request redirect URI. Default <see cref="AuthKitOptions.RedirectUri"/>.</summary>
    public string? RedirectUri { get; init; }

    /// <summary><c>sign-in</c> or <c>sign-up</c>. Default none (AuthKit decides).</summary>
    public string? ScreenHint { get; init; }

    /// <summary>Organization to sign in to. Default none.</summary>
    public string? OrganizationId { get; init; }

    /// <summary>Email to pre-fill. Default none.</summary>
    public string? LoginHint { get; init; }

    /// <summary><c>authkit</c> or an OAuth provider such as <c>GoogleOAuth</c> (see <see cref="AuthKitProviders"/>). Default <c>authkit</c>.</summary>
    public string? Provider { get; init; }

    /// <summary>An SSO or OAuth connection to sign in with. Default none.</summary>
    public string? ConnectionId { get; init; }

    /// <summary>An invitation to accept while signing in or up. Default none.</summary>
    public string? InvitationToken { get; init; }

    /// <summary>Domain hint. Default none.</summary>
    public string? DomainHint { get; init; }

    /// <summary><c>login</c>, <c>none</c>, <c>consent</c> or <c>select_account</c>. Default none.</summary>
    public string? Prompt { get; init; }

    /// <summary>Maximum age of the user's authentication. Default none.</summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary>
    /// Names of the cookies on the incoming request. When given, pending verifier cookies beyond 5 are cleared
    /// (all but the new one), so abandoned sign-ins cannot grow the Cookie header past server limits. Default none (no eviction).
    /// </summary>
    public IEnumerable<string>? RequestCookieNames { get; init; }
}
