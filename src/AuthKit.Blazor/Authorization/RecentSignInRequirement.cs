using Microsoft.AspNetCore.Authorization;

namespace AuthKit.Blazor;

/// <summary>
/// Step-up: the user must have actively signed in within <see cref="MaxAge"/>. The sign-in time is the access token's
/// <c>auth_time</c> (the <c>auth_time</c> claim: WorkOS advances it only on an active sign-in, never on a refresh). A principal
/// without it (an API key, a token without <c>auth_time</c>) never satisfies the requirement. When it fails, the scheme's
/// challenge sends the user through sign-in with <c>max_age</c> and back to the page (bearer schemes answer 401
/// <c>insufficient_user_authentication</c> with <c>max_age</c>, RFC 9470).
/// </summary>
public sealed class RecentSignInRequirement : IAuthorizationRequirement
{
    /// <summary>Creates the requirement.</summary>
    /// <param name="maxAge">The longest time since the last active sign-in; at least one second.</param>
    public RecentSignInRequirement(TimeSpan maxAge)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAge, TimeSpan.FromSeconds(1));
        MaxAge = TimeSpan.FromSeconds(Math.Floor(maxAge.TotalSeconds));
    }

    /// <summary>The longest time since the last active sign-in (whole seconds).</summary>
    public TimeSpan MaxAge { get; }
}
