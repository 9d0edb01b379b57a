using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor;

/// <summary>
/// Builds policies named <c>permission:X</c>, <c>role:X</c>, <c>organization:X</c>, <c>feature:X</c> and
/// <c>entitlement:X</c> on demand (authenticated user + the matching claim); registered policies win.
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
            default: return null;
        }

        return builder.Build();
    }
}
