using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using AuthKit.Session;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor;

/// <summary>
/// The WorkOS access-token bearer scheme: <c>Authorization: Bearer &lt;access token&gt;</c> verified by the shared
/// <see cref="IAccessTokenVerifier"/> (JWKS, RS256, expiry with the configured clock skew), then issuer, audience and
/// organization per <see cref="AuthKitBearerOptions"/>. The principal carries the same claims as the cookie scheme
/// (<see cref="AuthKitClaims"/>). Challenges and forbids answer RFC 6750 errors with a problem body, never a redirect.
/// </summary>
internal sealed partial class AuthKitBearerHandler(
    IOptionsMonitor<AuthKitBearerOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IAccessTokenVerifier verifier,
    IOptions<AuthKitOptions> authKitOptions)
    : AuthenticationHandler<AuthKitBearerOptions>(options, loggerFactory, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = BearerResponses.ReadBearer(Request);
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }

        if (token.Length == 0)
        {
            return Reject("invalid_token", "The bearer token is missing");
        }

        AccessTokenValidation validation;
        try
        {
            validation = await verifier.ValidateAsync(token, Context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (Context.RequestAborted.IsCancellationRequested)
        {
            return AuthenticateResult.NoResult();
        }

        if (!validation.IsValid)
        {
            return validation.Failure == AccessTokenFailure.KeysUnavailable
                ? Fail(new CredentialRejection("temporarily_unavailable", "The WorkOS signing keys could not be loaded; try again shortly", unavailable: true))
                : Reject("invalid_token", Describe(validation.Failure));
        }

        var claims = validation.Claims;
        if (Options.ValidateIssuer && !IsValidIssuer(claims.Issuer))
        {
            return Reject("invalid_token", "The access token was issued by another issuer");
        }

        if (Options.Audience is { Length: > 0 } audience && !HasAudience(claims, audience))
        {
            return Reject("invalid_token", "The access token is not meant for this audience");
        }

        if ((Options.RequireOrganization || Options.RequiredOrganizationId is { Length: > 0 }) && string.IsNullOrEmpty(claims.OrganizationId))
        {
            return Reject("invalid_token", "The access token is not scoped to an organization");
        }

        if (Options.RequiredOrganizationId is { Length: > 0 } organization && !string.Equals(claims.OrganizationId, organization, StringComparison.Ordinal))
        {
            return Reject("invalid_token", "The access token is scoped to another organization");
        }

        var identity = new AuthKitBearerIdentity(claims, Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        await BearerResponses.ChallengeAsync(Response, Options.Realm, result.Failure as CredentialRejection,
            StepUp.ReadMaxAge(properties), TimeSpan.FromSeconds(5)).ConfigureAwait(false);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        BearerResponses.ForbidAsync(Response, Options.Realm);

    private AuthenticateResult Reject(string error, string description)
    {
        LogRejected(Logger, Scheme.Name, description);
        return AuthenticateResult.Fail(new CredentialRejection(error, description));
    }

    private AuthenticateResult Fail(CredentialRejection rejection)
    {
        LogRejected(Logger, Scheme.Name, rejection.Description);
        return AuthenticateResult.Fail(rejection);
    }

    private static string Describe(AccessTokenFailure failure) => failure switch
    {
        AccessTokenFailure.Expired => "The access token expired",
        AccessTokenFailure.NotYetValid => "The access token is not valid yet",
        AccessTokenFailure.Malformed => "The access token is not a well-formed JWT",
        AccessTokenFailure.UnsupportedAlgorithm => "The access token is not signed with RS256",
        AccessTokenFailure.UnknownKey => "The access token is signed with an unknown key",
        AccessTokenFailure.InvalidIssuer => "The access token was issued by another issuer",
        AccessTokenFailure.InvalidAudience => "The access token is not meant for this audience",
        _ => "The access token signature is invalid",
    };

    private bool IsValidIssuer(string? issuer)
    {
        if (string.IsNullOrEmpty(issuer))
        {
            return false;
        }

        var actual = issuer.TrimEnd('/');
        if (Options.ValidIssuers.Count > 0)
        {
            return Options.ValidIssuers.Any(i => string.Equals(i.TrimEnd('/'), actual, StringComparison.Ordinal));
        }

        var workos = authKitOptions.Value;
        var apiBase = WorkOSEndpoints.BuildUri(workos, "", null).ToString().TrimEnd('/');
        return string.Equals(actual, apiBase, StringComparison.Ordinal) ||
               (workos.ClientId is { Length: > 0 } clientId &&
                string.Equals(actual, apiBase + "/user_management/" + Uri.EscapeDataString(clientId), StringComparison.Ordinal));
    }

    private static bool HasAudience(AccessTokenClaims claims, string audience)
    {
        if (!claims.TryGetClaim("aud", out var aud))
        {
            return false;
        }

        return aud.ValueKind switch
        {
            JsonValueKind.String => string.Equals(aud.GetString(), audience, StringComparison.Ordinal),
            JsonValueKind.Array => aud.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && string.Equals(a.GetString(), audience, StringComparison.Ordinal)),
            _ => false,
        };
    }

    [LoggerMessage(EventId = 5801, Level = LogLevel.Debug, Message = "{Scheme}: bearer credential rejected: {Reason}.")]
    private static partial void LogRejected(ILogger logger, string scheme, string reason);
}
