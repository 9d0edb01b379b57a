using System.Globalization;
using System.Security.Claims;
using AuthKit.Session;

namespace AuthKit.Blazor;

/// <summary>
/// The one place AuthKit's claims are built, for every scheme: the cookie scheme (<see cref="AuthKitIdentity"/>), the bearer
/// scheme (a WorkOS access token without a session) and the API-key scheme (a validated WorkOS API key). The same claim
/// types, so the same <c>permission:</c>/<c>role:</c>/<c>organization:</c>/<c>feature:</c>/<c>entitlement:</c>/<c>recent-sign-in:</c>
/// policies apply whichever scheme signed the request in.
/// </summary>
internal static class AuthKitClaims
{
    public const string Issuer = "WorkOS";

    /// <summary>
    /// Claims of a verified access token, with the session's user and impersonator when there is a session (cookie scheme),
    /// or none (bearer: the impersonator comes from the token's <c>act.sub</c>).
    /// </summary>
    public static List<Claim> FromAccessToken(AccessTokenClaims token, WorkOSUser? user, string? sessionId, Impersonator? impersonator)
    {
        var claims = new List<Claim>(16);
        Add(claims, AuthKitClaimTypes.Subject, token.Subject ?? user?.Id);
        Add(claims, AuthKitClaimTypes.SessionId, sessionId ?? token.SessionId);
        if (user is not null)
        {
            Add(claims, AuthKitClaimTypes.Email, user.Email);
            var fullName = string.Join(' ', new[] { user.FirstName, user.LastName }.Where(s => !string.IsNullOrWhiteSpace(s)));
            Add(claims, AuthKitClaimTypes.Name, !string.IsNullOrWhiteSpace(user.Name) ? user.Name : fullName.Length > 0 ? fullName : user.Email);
            Add(claims, AuthKitClaimTypes.GivenName, user.FirstName);
            Add(claims, AuthKitClaimTypes.FamilyName, user.LastName);
        }

        Add(claims, AuthKitClaimTypes.OrganizationId, token.OrganizationId);

        var roles = new HashSet<string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(token.Role))
        {
            roles.Add(token.Role);
        }

        roles.UnionWith(token.Roles.Where(r => !string.IsNullOrEmpty(r)));
        foreach (var role in roles)
        {
            Add(claims, AuthKitClaimTypes.Role, role);
        }

        AddEach(claims, AuthKitClaimTypes.Permission, token.Permissions);
        AddEach(claims, AuthKitClaimTypes.Entitlement, token.Entitlements);
        AddEach(claims, AuthKitClaimTypes.FeatureFlag, token.FeatureFlags);

        if (impersonator is not null)
        {
            Add(claims, AuthKitClaimTypes.Impersonator, impersonator.Email);
            Add(claims, AuthKitClaimTypes.ImpersonatorReason, impersonator.Reason);
        }
        else
        {
            Add(claims, AuthKitClaimTypes.Impersonator, token.ActorSubject);
        }

        if (token.AuthTime is { } authTime)
        {
            claims.Add(new Claim(AuthKitClaimTypes.AuthTime, authTime.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64, Issuer));
        }

        return claims;
    }

    /// <summary>
    /// Claims of a validated API key: the key (<c>api_key_id</c>, <c>api_key_name</c>), its owner (an organization-owned key
    /// sets <c>org_id</c>; a user-owned key sets <c>sub</c> and the organization it may access as <c>org_id</c>) and its
    /// permissions (<c>permission</c>). No <c>auth_time</c>: a key never satisfies a recent-sign-in policy.
    /// </summary>
    public static List<Claim> FromApiKey(WorkOSApiKey key)
    {
        var claims = new List<Claim>(8);
        Add(claims, AuthKitClaimTypes.ApiKeyId, key.Id);
        Add(claims, AuthKitClaimTypes.ApiKeyName, key.Name);
        Add(claims, AuthKitClaimTypes.ApiKeyOwnerType, key.Owner.Type);
        if (key.Owner.IsUser)
        {
            Add(claims, AuthKitClaimTypes.Subject, key.Owner.Id);
            Add(claims, AuthKitClaimTypes.OrganizationId, key.Owner.OrganizationId);
        }
        else
        {
            Add(claims, AuthKitClaimTypes.OrganizationId, key.Owner.Id);
        }

        Add(claims, AuthKitClaimTypes.Name, key.Name);
        AddEach(claims, AuthKitClaimTypes.Permission, key.Permissions);
        return claims;
    }

    private static void Add(List<Claim> claims, string type, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            claims.Add(new Claim(type, value, ClaimValueTypes.String, Issuer));
        }
    }

    private static void AddEach(List<Claim> claims, string type, IReadOnlyList<string> values)
    {
        foreach (var value in values.Distinct(StringComparer.Ordinal))
        {
            Add(claims, type, value);
        }
    }
}
