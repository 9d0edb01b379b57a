namespace AuthKit.Session.Tests.Fakes;

/// <summary>A validated (possibly refreshed) session, as the npm package's <c>validateAndRefresh</c> returns it.</summary>
internal sealed record Validated(Session Session, AuthResult Auth, bool Refreshed);

/// <summary>
/// The npm package's core calls, made through the real engine exactly as <see cref="AuthService{TRequest, TResponse}"/>
/// makes them (refresh window zero: only an expired or unverifiable token is refreshed).
/// </summary>
internal static class EngineCalls
{
    /// <summary>validateAndRefresh / refreshSession: throws the engine's <see cref="TokenRefreshException"/> when it did not end signed in with a session.</summary>
    public static async Task<Validated> ValidateAndRefreshAsync(this SessionResolver engine, Session session, bool force = false, string? organizationId = null, CancellationToken cancellationToken = default)
    {
        var resolution = organizationId is null
            ? await engine.ResolveSessionAsync(session, force, TimeSpan.Zero, cancellationToken)
            : await engine.SwitchOrganizationAsync(session, organizationId, cancellationToken);
        return resolution.Status switch
        {
            SessionResolutionStatus.Authenticated => new Validated(resolution.Auth.Session!, resolution.Auth, Refreshed: false),
            SessionResolutionStatus.Updated => new Validated(resolution.Auth.Session!, resolution.Auth, Refreshed: true),
            _ => throw (resolution.Error as TokenRefreshException ?? new TokenRefreshException($"The engine answered {resolution.Status}.", null, null, resolution.Error)),
        };
    }

    /// <summary>A forced refresh (into <paramref name="organizationId"/> when given).</summary>
    public static Task<Validated> RefreshAsync(this SessionResolver engine, Session session, string? organizationId = null, CancellationToken cancellationToken = default) =>
        engine.ValidateAndRefreshAsync(session, force: true, organizationId, cancellationToken);

    /// <summary>withAuth's validation of a cookie value.</summary>
    public static ValueTask<SessionResolution> ValidateCookieAsync(this SessionResolver engine, string sealedSession, CancellationToken cancellationToken = default) =>
        engine.ResolveCookieAsync(sealedSession, TimeSpan.Zero, cancellationToken);

    /// <summary>The cache entry of a cookie value verified before, while its token is valid.</summary>
    public static bool TryGet(this VerifiedSessionCache cache, string sealedSession, DateTimeOffset now, out VerifiedSessionCache.Entry entry) =>
        cache.TryGetEntry(VerifiedSessionCache.CookieHash.Of(sealedSession), now, out entry);

    /// <summary>Whether the cookie had to be rewritten (refreshed, or a newer session picked up).</summary>
    public static bool Refreshed(this SessionResolution resolution) => resolution.Status == SessionResolutionStatus.Updated;
}
