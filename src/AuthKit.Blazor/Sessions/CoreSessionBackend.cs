using AuthKit.Session;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor;

using Session = AuthKit.Session.Session;

/// <summary><see cref="IAuthKitSessionBackend"/> over the session core (sealing, JWKS verification, WorkOS refresh).</summary>
internal sealed class CoreSessionBackend(
    ISessionEncryption encryption,
    IAccessTokenVerifier verifier,
    AuthKitCore core,
    IOptions<AuthKitOptions> options) : IAuthKitSessionBackend
{
    private string Password => options.Value.CookiePassword ?? string.Empty;

    public Session? TryUnseal(string sealedSession)
    {
        try
        {
            return encryption.UnsealSession(sealedSession, Password);
        }
        catch (Exception ex) when (ex is AuthKitException or FormatException or ArgumentException or System.Text.Json.JsonException or System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    public VerifiedSessionCache VerifiedSessions => core.Cache;

    public string Seal(Session session) => encryption.SealSession(session, Password);

    public AccessTokenClaims? TryReadClaims(string accessToken) =>
        AccessTokens.TryParseUnverified(accessToken, out var claims) ? claims : null;

    public async ValueTask<TokenCheck> VerifyAsync(string accessToken, CancellationToken cancellationToken = default)
    {
        var result = await verifier.ValidateAsync(accessToken, cancellationToken).ConfigureAwait(false);
        if (result.IsValid)
        {
            return TokenCheck.Valid(result.Claims);
        }

        return result.Failure == AccessTokenFailure.KeysUnavailable ? TokenCheck.Unavailable : TokenCheck.Invalid;
    }

    public async Task<Session> RefreshAsync(Session session, string? organizationId, CancellationToken cancellationToken = default)
    {
        // Organization: explicit, else the current token's org_id (as the npm package). The core shares one WorkOS call per
        // (refresh token, organization), retries once after a 429, and wraps failures in TokenRefreshException.
        organizationId ??= TryReadClaims(session.AccessToken)?.OrganizationId;
        var result = await core.RefreshAsync(session, organizationId, cancellationToken).ConfigureAwait(false);
        return result.Session;
    }
}
