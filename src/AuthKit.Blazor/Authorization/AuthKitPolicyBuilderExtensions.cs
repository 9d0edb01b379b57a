using AuthKit.Blazor;

namespace Microsoft.AspNetCore.Authorization;

/// <summary>AuthKit requirements for named policies (the same checks the <c>permission:</c>, <c>organization:</c>, ... policy names apply).</summary>
public static class AuthKitPolicyBuilderExtensions
{
    /// <summary>Requires every one of <paramref name="permissions"/> (<c>permission</c> claims).</summary>
    public static AuthorizationPolicyBuilder RequirePermission(this AuthorizationPolicyBuilder builder, params string[] permissions) =>
        RequireEach(builder, AuthKitClaimTypes.Permission, permissions);

    /// <summary>Requires the session to be scoped to one of <paramref name="organizationIds"/> (<c>org_id</c>).</summary>
    public static AuthorizationPolicyBuilder RequireOrganization(this AuthorizationPolicyBuilder builder, params string[] organizationIds)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfZero(organizationIds.Length);
        return builder.RequireClaim(AuthKitClaimTypes.OrganizationId, organizationIds);
    }

    /// <summary>Requires every one of <paramref name="featureFlags"/> (<c>feature_flag</c> claims).</summary>
    public static AuthorizationPolicyBuilder RequireFeatureFlag(this AuthorizationPolicyBuilder builder, params string[] featureFlags) =>
        RequireEach(builder, AuthKitClaimTypes.FeatureFlag, featureFlags);

    /// <summary>Requires every one of <paramref name="entitlements"/> (<c>entitlement</c> claims).</summary>
    public static AuthorizationPolicyBuilder RequireEntitlement(this AuthorizationPolicyBuilder builder, params string[] entitlements) =>
        RequireEach(builder, AuthKitClaimTypes.Entitlement, entitlements);

    /// <summary>
    /// Step-up: requires a signed-in user whose last active sign-in (<c>auth_time</c>) is at most <paramref name="maxAge"/> ago
    /// (<see cref="RecentSignInRequirement"/>). When only this fails, the user is sent through sign-in with <c>max_age</c> and
    /// returns to the page; bearer schemes answer 401 <c>insufficient_user_authentication</c>. The same check as the
    /// <c>recent-sign-in:</c> policy names.
    /// </summary>
    public static AuthorizationPolicyBuilder RequireRecentSignIn(this AuthorizationPolicyBuilder builder, TimeSpan maxAge)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.RequireAuthenticatedUser().AddRequirements(new RecentSignInRequirement(maxAge));
    }

    private static AuthorizationPolicyBuilder RequireEach(AuthorizationPolicyBuilder builder, string claimType, string[] values)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfZero(values.Length);
        foreach (var value in values)
        {
            ArgumentException.ThrowIfNullOrEmpty(value);
            builder.RequireClaim(claimType, value);
        }

        return builder;
    }
}
