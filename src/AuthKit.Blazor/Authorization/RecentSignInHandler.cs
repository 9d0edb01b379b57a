using System.Globalization;
using Microsoft.AspNetCore.Authorization;

namespace AuthKit.Blazor;

/// <summary>
/// Checks <see cref="RecentSignInRequirement"/> against the <c>auth_time</c> claim on <see cref="TimeProvider"/>. Scoped, so a
/// failure is recorded in the request's or circuit's <see cref="StepUpState"/>, where <c>RedirectToSignIn</c> (in an
/// <c>AuthorizeRouteView</c>'s <c>NotAuthorized</c>) finds it and asks for a recent sign-in instead of showing "access denied".
/// </summary>
internal sealed class RecentSignInHandler(TimeProvider time, StepUpState state) : AuthorizationHandler<RecentSignInRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RecentSignInRequirement requirement)
    {
        if (context.User.Identity?.IsAuthenticated == true)
        {
            if (SignedInAt(context.User) is { } signedIn && time.GetUtcNow() - signedIn <= requirement.MaxAge)
            {
                context.Succeed(requirement);
                return Task.CompletedTask;
            }

            state.Record(requirement.MaxAge);
        }

        return Task.CompletedTask;
    }

    /// <summary>The most recent <c>auth_time</c> among the principal's identities, or null.</summary>
    internal static DateTimeOffset? SignedInAt(System.Security.Claims.ClaimsPrincipal user)
    {
        DateTimeOffset? latest = null;
        foreach (var claim in user.FindAll(AuthKitClaimTypes.AuthTime))
        {
            if (long.TryParse(claim.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) &&
                seconds <= 253_402_300_799 &&
                DateTimeOffset.FromUnixTimeSeconds(seconds) is var at && (latest is null || at > latest))
            {
                latest = at;
            }
        }

        return latest;
    }
}
