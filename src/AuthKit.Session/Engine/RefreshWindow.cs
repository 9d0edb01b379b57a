namespace AuthKit.Session;

/// <summary>When a session is due for a refresh: the one rule HTTP requests and circuits share.</summary>
internal static class RefreshWindow
{
    /// <summary>
    /// The refresh window for a token with <paramref name="claims"/>: <paramref name="refreshBuffer"/>, but at most half
    /// its lifetime (<c>exp - iat</c>), so a buffer as long as the token (a short-lived dev token, or a buffer set larger
    /// than WorkOS's token lifetime) does not make every request and every check refresh. Without both times: the buffer.
    /// </summary>
    public static TimeSpan EffectiveBuffer(AccessTokenClaims? claims, TimeSpan refreshBuffer)
    {
        if (claims is { ExpiresAt: { } expiresAt, IssuedAt: { } issuedAt } && expiresAt > issuedAt)
        {
            var half = (expiresAt - issuedAt) / 2;
            return half < refreshBuffer ? half : refreshBuffer;
        }

        return refreshBuffer;
    }

    /// <summary>Whether a token with <paramref name="claims"/> is due for a refresh at <paramref name="now"/> (no expiry: due).</summary>
    public static bool IsDue(AccessTokenClaims claims, DateTimeOffset now, TimeSpan refreshBuffer) =>
        claims.ExpiresAt is not { } exp || exp - now <= EffectiveBuffer(claims, refreshBuffer);

    /// <summary>As <see cref="EffectiveBuffer(AccessTokenClaims?, TimeSpan)"/> for a signed-in session.</summary>
    public static TimeSpan EffectiveBuffer(AuthResult auth, TimeSpan refreshBuffer) => EffectiveBuffer(auth.Claims, refreshBuffer);
}
