using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Blazor;

/// <summary>
/// The authorization middleware's answer, as the framework's, except when a signed-in user failed ONLY recent-sign-in
/// requirements: then the policy's schemes (or the default one) are challenged with the smallest max age, so the cookie
/// scheme sends the user through sign-in with <c>max_age</c> and back to the page, and the bearer schemes answer 401
/// <c>insufficient_user_authentication</c>. A user also missing a permission gets the usual 403: signing in again would not help.
/// </summary>
internal sealed class AuthKitAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure is { FailCalled: false } failure &&
            failure.FailedRequirements.Any() && failure.FailedRequirements.All(r => r is RecentSignInRequirement))
        {
            var maxAge = failure.FailedRequirements.Cast<RecentSignInRequirement>().Min(r => r.MaxAge);
            var properties = StepUp.Properties(maxAge);
            if (policy.AuthenticationSchemes.Count > 0)
            {
                foreach (var scheme in policy.AuthenticationSchemes)
                {
                    await context.ChallengeAsync(scheme, properties).ConfigureAwait(false);
                }
            }
            else
            {
                await context.ChallengeAsync(properties).ConfigureAwait(false);
            }

            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
    }
}
