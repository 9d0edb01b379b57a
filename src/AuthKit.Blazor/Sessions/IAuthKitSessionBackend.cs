using AuthKit.Session;

namespace AuthKit.Blazor;

using Session = AuthKit.Session.Session;

/// <summary>
/// The session-core operations the Blazor integration needs (sealing, token checks, WorkOS refresh), behind one small
/// seam so the scheme handler, the endpoints and the circuit coordinator share one implementation over <c>AuthKitCore</c>.
/// </summary>
internal interface IAuthKitSessionBackend
{
    /// <summary>Unseals a cookie value; null when it is tampered, truncated, sealed with another password or not a session.</summary>
    Session? TryUnseal(string sealedSession);

    /// <summary>Seals a session into a cookie value.</summary>
    string Seal(Session session);

    /// <summary>Reads the access token's claims without verifying it; null when it is not a JWT.</summary>
    AccessTokenClaims? TryReadClaims(string accessToken);

    /// <summary>Verifies the access token (RS256 signature against the JWKS, expiry).</summary>
    ValueTask<TokenCheck> VerifyAsync(string accessToken, CancellationToken cancellationToken = default);

    /// <summary>
    /// Spends the session's refresh token at WorkOS (optionally re-scoping to <paramref name="organizationId"/>), returning
    /// the new session. Throws <see cref="TokenRefreshException"/> on failure.
    /// </summary>
    Task<Session> RefreshAsync(Session session, string? organizationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The bounded cache of verified cookies, shared with the core's own per-request path (one per <c>AuthKitCore</c>).
    /// </summary>
    VerifiedSessionCache VerifiedSessions { get; }
}

/// <summary>Outcome of an access-token verification.</summary>
internal enum TokenCheckStatus
{
    /// <summary>Signature and expiry are good.</summary>
    Valid,
    /// <summary>Expired, badly signed, wrong algorithm or malformed.</summary>
    Invalid,
    /// <summary>The signing keys could not be fetched; the token could not be checked.</summary>
    Unavailable,
}

/// <summary>An access-token verification result: the status and, when valid, the claims.</summary>
internal readonly record struct TokenCheck(TokenCheckStatus Status, AccessTokenClaims? Claims)
{
    public static TokenCheck Invalid => new(TokenCheckStatus.Invalid, null);
    public static TokenCheck Unavailable => new(TokenCheckStatus.Unavailable, null);
    public static TokenCheck Valid(AccessTokenClaims claims) => new(TokenCheckStatus.Valid, claims);
}
