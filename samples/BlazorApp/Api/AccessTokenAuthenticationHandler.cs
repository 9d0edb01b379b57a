using System.Security.Claims;
using System.Text.Encodings.Web;
using AuthKit.Session;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BlazorApp.Api;

/// <summary>
/// Authenticates API requests that carry a WorkOS access token (<c>Authorization: Bearer ...</c>), verified
/// against the WorkOS JWKS by AuthKit's <see cref="IAccessTokenVerifier"/>.
/// </summary>
internal sealed class AccessTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IAccessTokenVerifier verifier)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "WorkOSAccessToken";

    private const string BearerPrefix = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var token = header[BearerPrefix.Length..].Trim();
        var validation = await verifier.ValidateAsync(token, Context.RequestAborted);
        if (!validation.IsValid)
        {
            return AuthenticateResult.Fail($"The access token was rejected: {validation.Failure}.");
        }

        var claims = validation.Claims;

        var identity = new ClaimsIdentity(SchemeName, "sub", "role");
        AddIfPresent(identity, "sub", claims.Subject);
        AddIfPresent(identity, "sid", claims.SessionId);
        AddIfPresent(identity, "org_id", claims.OrganizationId);
        AddIfPresent(identity, "role", claims.Role);
        AddIfPresent(identity, "jti", claims.TokenId);
        AddIfPresent(identity, "exp", claims.ExpiresAt?.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var permission in claims.Permissions)
        {
            identity.AddClaim(new Claim("permission", permission));
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    private static void AddIfPresent(ClaimsIdentity identity, string type, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            identity.AddClaim(new Claim(type, value));
        }
    }
}
