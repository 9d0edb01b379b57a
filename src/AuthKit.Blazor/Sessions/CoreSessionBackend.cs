using AuthKit.Session;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor;

using Session = AuthKit.Session.Session;

/// <summary><see cref="IAuthKitSessionBackend"/> over the session core (sealing, JWKS verification, WorkOS refresh).</summary>
internal sealed class CoreSessionBackend(
    ISessionEncryption encryption,
    IAccessTokenVerifier verifier,
    IWorkOSUserManagement workOS,
    IOptions<AuthKitOptions> options,
    TimeProvider time) : IAuthKitSessionBackend
{
    private static readonly TimeSpan MinRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

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
        var claims = TryReadClaims(session.AccessToken);
        organizationId ??= claims?.OrganizationId;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var response = await workOS.AuthenticateWithRefreshTokenAsync(session.RefreshToken, organizationId, cancellationToken).ConfigureAwait(false);
                return new Session
                {
                    AccessToken = response.AccessToken,
                    RefreshToken = response.RefreshToken,
                    User = response.User,
                    Impersonator = response.Impersonator,
                };
            }
            catch (WorkOSRateLimitException limited) when (attempt == 0)
            {
                var delay = limited.RetryAfter ?? MinRetryDelay;
                delay = delay < MinRetryDelay ? MinRetryDelay : delay > MaxRetryDelay ? MaxRetryDelay : delay;
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                throw new TokenRefreshException("Refreshing the WorkOS session failed.", session.User.Id, claims?.SessionId, ex);
            }
        }
    }
}
