namespace AuthKit.Session;

/// <summary>Options of <see cref="AuthKitCore.ValidateAndRefreshAsync"/>.</summary>
internal sealed record RefreshOptions
{
    /// <summary>Refresh even when the access token is still valid (organization switch, manual refresh). Default false.</summary>
    public bool Force { get; init; }

    /// <summary>Organization to scope the refreshed session to. Default: the current token's <c>org_id</c>.</summary>
    public string? OrganizationId { get; init; }
}

/// <summary>The outcome of validating (and possibly refreshing) a session.</summary>
internal sealed class SessionValidationResult
{
    /// <summary>Creates the result.</summary>
    public SessionValidationResult(Session session, AccessTokenClaims claims, bool refreshed)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(claims);
        Session = session;
        Claims = claims;
        Refreshed = refreshed;
    }

    /// <summary>The session: the input one, or its successor when <see cref="Refreshed"/>.</summary>
    public Session Session { get; }

    /// <summary>Claims of <see cref="Session"/>'s access token (verified, or fresh from WorkOS after a refresh).</summary>
    public AccessTokenClaims Claims { get; }

    /// <summary>Whether the tokens were refreshed (the cookie must then be rewritten).</summary>
    public bool Refreshed { get; }

    /// <summary>The authenticated <see cref="AuthResult"/> for this session.</summary>
    public AuthResult ToAuthResult() => AuthResult.FromSession(Session, Claims);
}

/// <summary>The outcome of <see cref="AuthKitCore.ValidateSealedSessionAsync"/>: an authenticated user, and the new cookie value after a refresh.</summary>
internal sealed class SealedSessionValidation
{
    internal SealedSessionValidation(AuthResult auth, bool refreshed, string? sealedSession)
    {
        Auth = auth;
        Refreshed = refreshed;
        SealedSession = sealedSession;
    }

    /// <summary>The authenticated result.</summary>
    public AuthResult Auth { get; }

    /// <summary>Whether the tokens were refreshed.</summary>
    public bool Refreshed { get; }

    /// <summary>The sealed successor session to write into the cookie, when <see cref="Refreshed"/>; otherwise null.</summary>
    public string? SealedSession { get; }
}
