using AuthKit.Session;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Blazor;

/// <summary>
/// Sign-out, written once: the sign-out endpoint and <c>HttpContext.SignOutAsync("AuthKit")</c> both find the session
/// here, end it in the engine (every server and circuit sees it) and clear the cookie here.
/// </summary>
internal sealed class SessionSignOut(SessionResolver resolver, HttpSessionCookies cookies)
{
    /// <summary>
    /// The session a sign-out ends: the one the scheme resolved, or (WorkOS down while the token expired, so the request
    /// is anonymous) the one in the request's session cookie itself, the first that unseals when several were sent.
    /// </summary>
    public SignedOutSession Identify(HttpRequest request, AuthResult auth)
    {
        if (!string.IsNullOrEmpty(auth.SessionId))
        {
            return new SignedOutSession(auth.SessionId, auth.User?.Id);
        }

        foreach (var cookie in cookies.ReadSessions(request))
        {
            if (cookie is not null && resolver.TryUnsealCookie(cookie) is { } session)
            {
                return new SignedOutSession(SessionResolver.TryReadClaims(session.AccessToken)?.SessionId, session.User.Id);
            }
        }

        return new SignedOutSession(null, null);
    }

    /// <summary>Clears the session cookie on <paramref name="response"/> and records the session as ended (not cancellable: a half sign-out is worse).</summary>
    public async Task EndAsync(HttpResponse response, SignedOutSession session)
    {
        cookies.ClearSession(response);
        if (!string.IsNullOrEmpty(session.SessionId))
        {
            await resolver.EndSessionAsync(session.SessionId, CancellationToken.None).ConfigureAwait(false);
        }
    }
}

/// <summary>The session a sign-out ends (both null when there was none).</summary>
internal readonly record struct SignedOutSession(string? SessionId, string? UserId);
