using System.Security.Claims;
using AuthKit.Session;
using Microsoft.AspNetCore.Authentication;

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

    /// <summary>
    /// The principal for an authenticated result passed through the app's <paramref name="transformation"/> (none: as
    /// is), as ASP.NET Core's authentication service does after a successful authentication. A transformation cannot be
    /// cancelled: <paramref name="cancellationToken"/> stops the wait. Throws when the transformation returns null.
    /// </summary>
    public static async Task<ClaimsPrincipal> CreateTransformedPrincipalAsync(AuthResult auth, IClaimsTransformation? transformation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var principal = CreatePrincipal(auth);
        if (transformation is null)
        {
            return principal;
        }

        var transformed = await transformation.TransformAsync(principal).WaitAsync(cancellationToken).ConfigureAwait(false);
        return transformed ?? throw new InvalidOperationException(
            $"The claims transformation {transformation.GetType().FullName} returned null; return the principal it was given (or a new one).");
    }

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
