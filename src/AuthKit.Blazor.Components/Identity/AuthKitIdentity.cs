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

        const string issuer = "WorkOS";
        var claims = new List<Claim>(16);
        void Add(string type, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                claims.Add(new Claim(type, value, ClaimValueTypes.String, issuer));
            }
        }

        var user = auth.User;
        Add(AuthKitClaimTypes.Subject, auth.Claims.Subject ?? user.Id);
        Add(AuthKitClaimTypes.SessionId, auth.SessionId);
        Add(AuthKitClaimTypes.Email, user.Email);
        var fullName = string.Join(' ', new[] { user.FirstName, user.LastName }.Where(s => !string.IsNullOrWhiteSpace(s)));
        Add(AuthKitClaimTypes.Name, !string.IsNullOrWhiteSpace(user.Name) ? user.Name : fullName.Length > 0 ? fullName : user.Email);
        Add(AuthKitClaimTypes.GivenName, user.FirstName);
        Add(AuthKitClaimTypes.FamilyName, user.LastName);
        Add(AuthKitClaimTypes.OrganizationId, auth.OrganizationId);

        var roles = new HashSet<string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(auth.Role))
        {
            roles.Add(auth.Role);
        }

        roles.UnionWith(auth.Roles.Where(r => !string.IsNullOrEmpty(r)));
        foreach (var role in roles)
        {
            Add(AuthKitClaimTypes.Role, role);
        }

        foreach (var permission in auth.Permissions.Distinct(StringComparer.Ordinal))
        {
            Add(AuthKitClaimTypes.Permission, permission);
        }

        foreach (var entitlement in auth.Entitlements.Distinct(StringComparer.Ordinal))
        {
            Add(AuthKitClaimTypes.Entitlement, entitlement);
        }

        foreach (var flag in auth.FeatureFlags.Distinct(StringComparer.Ordinal))
        {
            Add(AuthKitClaimTypes.FeatureFlag, flag);
        }

        if (auth.Impersonator is { } impersonator)
        {
            Add(AuthKitClaimTypes.Impersonator, impersonator.Email);
            Add(AuthKitClaimTypes.ImpersonatorReason, impersonator.Reason);
        }

        return claims;
    }
}
