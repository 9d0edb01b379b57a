using AuthKit.Session;

namespace AuthKit.Blazor;

/// <summary>When a circuit checks its session next (pure functions of the clock, the session and the last result).</summary>
internal static class RevalidationSchedule
{
    /// <summary>Never schedule closer than this, so a misbehaving clock or token cannot make a hot loop.</summary>
    internal static readonly TimeSpan MinimumDelay = TimeSpan.FromSeconds(1);

    /// <summary>Retry delay after a transient failure that came without a hint.</summary>
    internal static readonly TimeSpan DefaultRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The refresh window for <paramref name="auth"/>: <paramref name="refreshBuffer"/>, but at most half the access
    /// token's lifetime, so tokens shorter than the buffer (tests, demos) are not refreshed on every check.
    /// </summary>
    public static TimeSpan EffectiveBuffer(AuthResult auth, TimeSpan refreshBuffer) => EffectiveBuffer(auth.Claims, refreshBuffer);

    /// <summary>
    /// The refresh window for a token with <paramref name="claims"/>: <paramref name="refreshBuffer"/>, but at most half
    /// its lifetime (<c>exp - iat</c>), so a buffer as long as the token (a short-lived dev token, or a buffer set larger
    /// than WorkOS's token lifetime) does not make every request and every check refresh. Without both times: the buffer.
    /// </summary>
    public static TimeSpan EffectiveBuffer(AccessTokenClaims? claims, TimeSpan refreshBuffer) => RefreshWindow.EffectiveBuffer(claims, refreshBuffer);

    /// <summary>
    /// The delay until the next revalidation, or null when there is nothing to revalidate (signed out).
    /// At most <paramref name="interval"/>; earlier when the access token enters its refresh window; after a transient
    /// failure, after the failure's retry delay. Never less than <see cref="MinimumDelay"/>.
    /// </summary>
    public static TimeSpan? NextDelay(
        DateTimeOffset now,
        AuthResult session,
        DateTimeOffset? retryNotBefore,
        TimeSpan refreshBuffer,
        TimeSpan interval)
    {
        if (!session.IsAuthenticated)
        {
            return null;
        }

        var due = now + (interval > MinimumDelay ? interval : MinimumDelay);
        if (retryNotBefore is { } retry)
        {
            // Backing off after a transient failure: the retry time decides (still at most the interval).
            due = Min(due, retry);
        }
        else if (session.AccessTokenExpiresAt is { } expiresAt)
        {
            var refreshAt = expiresAt - EffectiveBuffer(session, refreshBuffer);
            // Inside the window already (the coordinator saw no need yet): check again when the token expires.
            due = Min(due, refreshAt > now ? refreshAt : expiresAt);
        }

        var delay = due - now;
        return delay < MinimumDelay ? MinimumDelay : delay;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
