using System.Security.Claims;
using System.Text.Encodings.Web;
using AuthKit.Session;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor;

/// <summary>
/// The WorkOS API-key scheme: <c>Authorization: Bearer &lt;API key&gt;</c> validated by <see cref="IWorkOSApiKeys"/> (valid keys
/// cached briefly). A credential shaped like a JWT is left to the bearer scheme (no result, no WorkOS call). The principal carries
/// the key's owner and permissions as AuthKit claims (<see cref="AuthKitClaims.FromApiKey"/>). An invalid key gets 401
/// <c>invalid_token</c>; when WorkOS cannot answer, 503 with <c>Retry-After</c>, so a client never drops a good key over an outage.
/// </summary>
internal sealed partial class AuthKitApiKeyHandler(
    IOptionsMonitor<AuthKitApiKeyOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IWorkOSApiKeys apiKeys)
    : AuthenticationHandler<AuthKitApiKeyOptions>(options, loggerFactory, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = BearerResponses.ReadBearer(Request);
        if (key is null || (key.Length > 0 && BearerResponses.LooksLikeJwt(key)))
        {
            return AuthenticateResult.NoResult();
        }

        if (key.Length == 0)
        {
            return AuthenticateResult.Fail(new CredentialRejection("invalid_token", "The API key is missing"));
        }

        ApiKeyValidation validation;
        try
        {
            validation = await apiKeys.ValidateAsync(key, Context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (Context.RequestAborted.IsCancellationRequested)
        {
            return AuthenticateResult.NoResult();
        }

        switch (validation.Status)
        {
            case ApiKeyValidationStatus.Valid:
                var identity = new ClaimsIdentity(AuthKitClaims.FromApiKey(validation.ApiKey!), Scheme.Name, AuthKitClaimTypes.Name, AuthKitClaimTypes.Role);
                return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
            case ApiKeyValidationStatus.Unavailable:
                LogUnavailable(Logger, Scheme.Name, validation.Error?.Message);
                return AuthenticateResult.Fail(new CredentialRejection("temporarily_unavailable",
                    "WorkOS could not validate the API key right now; retry later (the key was not rejected)", unavailable: true));
            default:
                LogInvalid(Logger, Scheme.Name, key.Length);
                return AuthenticateResult.Fail(new CredentialRejection("invalid_token", "The API key is not valid (unknown, revoked or expired)"));
        }
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        await BearerResponses.ChallengeAsync(Response, Options.Realm, result.Failure as CredentialRejection,
            StepUp.ReadMaxAge(properties), Options.RetryAfter).ConfigureAwait(false);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        BearerResponses.ForbidAsync(Response, Options.Realm);

    [LoggerMessage(EventId = 5811, Level = LogLevel.Debug, Message = "{Scheme}: API key rejected by WorkOS (length {Length}).")]
    private static partial void LogInvalid(ILogger logger, string scheme, int length);

    [LoggerMessage(EventId = 5812, Level = LogLevel.Warning, Message = "{Scheme}: WorkOS could not validate an API key ({Reason}); answering 503.")]
    private static partial void LogUnavailable(ILogger logger, string scheme, string? reason);
}
