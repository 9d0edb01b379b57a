using System.Security.Claims;
using AuthKit.Session;

namespace AuthKit.Blazor;

/// <summary>The identity of the bearer scheme: AuthKit's claims plus the verified access token's claims (<c>jti</c>, <c>exp</c>, custom ones).</summary>
internal sealed class AuthKitBearerIdentity : ClaimsIdentity
{
    public AuthKitBearerIdentity(AccessTokenClaims token, string scheme)
        : base(AuthKitClaims.FromAccessToken(token, user: null, sessionId: null, impersonator: null), scheme, AuthKitClaimTypes.Name, AuthKitClaimTypes.Role)
    {
        Token = token;
    }

    private AuthKitBearerIdentity(AuthKitBearerIdentity other)
        : base(other)
    {
        Token = other.Token;
    }

    public AccessTokenClaims Token { get; }

    public override ClaimsIdentity Clone() => new AuthKitBearerIdentity(this);
}
