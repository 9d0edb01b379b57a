using System.Security.Claims;
using AuthKit.Session;

namespace AuthKit.Blazor;

/// <summary>
/// The identity AuthKit signs users in with. It carries the <see cref="AuthResult"/> so the very same object that the
/// scheme handler builds for the <c>_blazor</c> connection reaches the circuit's authentication state.
/// </summary>
internal sealed class AuthKitIdentity : ClaimsIdentity
{
    public AuthKitIdentity(AuthResult auth)
        : base(CreateClaims(auth), AuthKitDefaults.AuthenticationScheme, AuthKitClaimTypes.Name, AuthKitClaimTypes.Role)
    {
        Auth = auth;
    }

    private AuthKitIdentity(AuthKitIdentity other)
        : base(other)
    {
        Auth = other.Auth;
    }

    /// <summary>The session behind this identity.</summary>
    public AuthResult Auth { get; }

    /// <summary>Creates a principal for an authenticated result.</summary>
    public static ClaimsPrincipal CreatePrincipal(AuthResult auth) => new(new AuthKitIdentity(auth));

    public override ClaimsIdentity Clone() => new AuthKitIdentity(this);

    private static List<Claim> CreateClaims(AuthResult auth)
    {
        if (!auth.IsAuthenticated)
        {
            throw new ArgumentException("Only an authenticated result becomes an AuthKit identity.", nameof(auth));
        }

        return AuthKitClaims.FromAccessToken(auth.Claims, auth.User, auth.SessionId, auth.Impersonator);
    }
}
