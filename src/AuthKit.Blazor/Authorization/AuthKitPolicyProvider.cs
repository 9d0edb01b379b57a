using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor;

/// <summary>
/// Builds policies named <c>permission:X</c>, <c>role:X</c>, <c>organization:X</c>, <c>feature:X</c> and
/// <c>entitlement:X</c> on demand (authenticated user + the matching claim), and <c>recent-sign-in:N</c> (step-up: a sign-in
/// within N seconds, or a <c>TimeSpan</c> such as <c>00:05:00</c>); registered policies win. An unparsable value is no policy
/// (the framework then reports the unknown policy name).
/// </summary>
internal sealed class AuthKitPolicyProvider(IOptions<AuthorizationOptions> options) : DefaultAuthorizationPolicyProvider(options)
{
    private const int MaxCachedPolicies = 1024;
    private readonly ConcurrentDictionary<string, AuthorizationPolicy> _built = new(StringComparer.Ordinal);

    public override async Task<AuthorizationPolicy?> GetPolicyAsync(string policyName)
    {
        var registered = await base.GetPolicyAsync(policyName).ConfigureAwait(false);
        if (registered is not null)
        {
            return registered;
        }

        if (_built.TryGetValue(policyName, out var cached))
        {
            return cached;
        }

        var policy = Build(policyName);
        if (policy is not null && _built.Count < MaxCachedPolicies)
        {
            _built.TryAdd(policyName, policy);
        }

        return policy;
    }

    internal static AuthorizationPolicy? Build(string policyName)
    {
        var separator = policyName.IndexOf(':', StringComparison.Ordinal);
        if (separator <= 0 || separator == policyName.Length - 1)
        {
            return null;
        }

        var prefix = policyName[..separator];
        var value = policyName[(separator + 1)..];
        var builder = new AuthorizationPolicyBuilder().RequireAuthenticatedUser();
        switch (prefix)
        {
            case "permission": builder.RequirePermission(value); break;
            case "role": builder.RequireRole(value); break;
            case "organization": builder.RequireOrganization(value); break;
            case "feature": builder.RequireFeatureFlag(value); break;
            case "entitlement": builder.RequireEntitlement(value); break;
            case "recent-sign-in":
                if (ParseMaxAge(value) is not { } maxAge)
                {
                    return null;
                }

                builder.RequireRecentSignIn(maxAge);
                break;
            default: return null;
        }

        return builder.Build();
    }

    /// <summary><c>300</c> (whole seconds) or <c>00:05:00</c> (a constant-format <c>TimeSpan</c>), at least one second and at most a year.</summary>
    internal static TimeSpan? ParseMaxAge(string value)
    {
        TimeSpan maxAge;
        if (long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            if (seconds > 366L * 24 * 3600)
            {
                return null;
            }

            maxAge = TimeSpan.FromSeconds(seconds);
        }
        else if (!TimeSpan.TryParseExact(value, "c", System.Globalization.CultureInfo.InvariantCulture, out maxAge))
        {
            return null;
        }

        return maxAge >= TimeSpan.FromSeconds(1) && maxAge <= TimeSpan.FromDays(366) ? maxAge : null;
    }
}
