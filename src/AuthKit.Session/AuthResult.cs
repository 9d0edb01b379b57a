using System.Diagnostics.CodeAnalysis;

namespace AuthKit.Session;

/// <summary>
/// The outcome of reading a session: anonymous, or authenticated with the user, session id, tokens and claims.
/// After <c>if (auth.IsAuthenticated)</c> the compiler knows <see cref="User"/>, <see cref="SessionId"/>,
/// <see cref="AccessToken"/>, <see cref="RefreshToken"/> and <see cref="Claims"/> are not null.
/// </summary>
public sealed class AuthResult
{
    private static readonly IReadOnlyList<string> None = [];

    /// <summary>The anonymous result.</summary>
    public static AuthResult Anonymous { get; } = new();

    private AuthResult() { }

    /// <summary>Whether a user is signed in.</summary>
    [MemberNotNullWhen(true, nameof(User), nameof(SessionId), nameof(AccessToken), nameof(RefreshToken), nameof(Claims), nameof(Session))]
    public bool IsAuthenticated { get; private init; }

    /// <summary>The signed-in user.</summary>
    public WorkOSUser? User { get; private init; }

    /// <summary>The WorkOS session id (<c>sid</c> claim).</summary>
    public string? SessionId { get; private init; }

    /// <summary>The access token (JWT).</summary>
    public string? AccessToken { get; private init; }

    /// <summary>The refresh token.</summary>
    public string? RefreshToken { get; private init; }

    /// <summary>The access token's claims.</summary>
    public AccessTokenClaims? Claims { get; private init; }

    /// <summary>The session this result was read from.</summary>
    public Session? Session { get; private init; }

    /// <summary>The organization the session is scoped to (<c>org_id</c>).</summary>
    public string? OrganizationId => Claims?.OrganizationId;

    /// <summary>The role in the organization (<c>role</c>).</summary>
    public string? Role => Claims?.Role;

    /// <summary>All roles (<c>roles</c>), empty when anonymous.</summary>
    public IReadOnlyList<string> Roles => Claims?.Roles ?? None;

    /// <summary>Permissions, empty when anonymous.</summary>
    public IReadOnlyList<string> Permissions => Claims?.Permissions ?? None;

    /// <summary>Entitlements, empty when anonymous.</summary>
    public IReadOnlyList<string> Entitlements => Claims?.Entitlements ?? None;

    /// <summary>Feature flags, empty when anonymous.</summary>
    public IReadOnlyList<string> FeatureFlags => Claims?.FeatureFlags ?? None;

    /// <summary>The impersonator, when the session is impersonated.</summary>
    public Impersonator? Impersonator => Session?.Impersonator;

    /// <summary>When the access token expires (<c>exp</c>).</summary>
    public DateTimeOffset? AccessTokenExpiresAt => Claims?.ExpiresAt;

    /// <summary>Creates an authenticated result from a session and its (verified) access-token claims.</summary>
    public static AuthResult FromSession(Session session, AccessTokenClaims claims)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(claims);
        return new AuthResult
        {
            IsAuthenticated = true,
            Session = session,
            User = session.User,
            AccessToken = session.AccessToken,
            RefreshToken = session.RefreshToken,
            Claims = claims,
            SessionId = claims.SessionId ?? string.Empty,
        };
    }
}
