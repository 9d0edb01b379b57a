using System.Security.Claims;
using AuthKit.Session;
using Microsoft.AspNetCore.Components.Authorization;

namespace AuthKit.Blazor;

/// <summary>Reads the AuthKit session behind a principal or an authentication state.</summary>
public static class AuthKitPrincipalExtensions
{
    /// <summary>
    /// The <see cref="AuthResult"/> (user, session, tokens, organization, permissions, ...) of a principal AuthKit
    /// signed in; <see cref="AuthResult.Anonymous"/> for any other principal. Found on AuthKit's identity among the
    /// principal's identities, so it survives a claims transformation that adds identities or claims, or clones them.
    /// </summary>
    public static AuthResult GetAuthResult(this ClaimsPrincipal? principal)
    {
        if (principal is null)
        {
            return AuthResult.Anonymous;
        }

        foreach (var identity in principal.Identities)
        {
            if (identity is AuthKitIdentity { IsAuthenticated: true } authKit)
            {
                return authKit.Auth;
            }
        }

        return AuthResult.Anonymous;
    }

    /// <summary>
    /// The verified access-token claims behind a principal the cookie scheme (the session's token) or the bearer scheme
    /// (<c>AddAuthKitBearer()</c>) signed in, for what AuthKit's claims do not carry (<c>jti</c>, <c>exp</c>, custom claims);
    /// null for an API key or any other principal.
    /// </summary>
    public static AccessTokenClaims? GetAccessTokenClaims(this ClaimsPrincipal? principal)
    {
        if (principal is null)
        {
            return null;
        }

        foreach (var identity in principal.Identities)
        {
            switch (identity)
            {
                case AuthKitIdentity { IsAuthenticated: true } authKit:
                    return authKit.Auth.Claims;
                case AuthKitBearerIdentity { IsAuthenticated: true } bearer:
                    return bearer.Token;
            }
        }

        return null;
    }

    /// <summary>
    /// The <see cref="AuthResult"/> of an authentication state; <see cref="AuthResult.Anonymous"/> when signed out. For an
    /// <see cref="AuthKitAuthenticationState"/> this is its <see cref="AuthKitAuthenticationState.Auth"/>, even when the
    /// app's claims transformation returned a principal without AuthKit's identity.
    /// </summary>
    public static AuthResult GetAuthResult(this AuthenticationState? state) => state switch
    {
        AuthKitAuthenticationState authKit => authKit.Auth,
        null => AuthResult.Anonymous,
        _ => state.User.GetAuthResult(),
    };
}
