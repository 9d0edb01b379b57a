using System.Security.Claims;
using AuthKit.Session;
using Microsoft.AspNetCore.Components.Authorization;

namespace AuthKit.Blazor;

/// <summary>
/// The authentication state AuthKit gives components: the principal plus the <see cref="AuthResult"/> behind it
/// (user, session id, access token, organization, role, permissions, entitlements, feature flags, impersonator).
/// Read it from a cascaded <c>Task&lt;AuthenticationState&gt;</c> with <c>state.GetAuthResult()</c>, or cast.
/// </summary>
public sealed class AuthKitAuthenticationState : AuthenticationState
{
    /// <summary>Creates the state for <paramref name="auth"/> with AuthKit's principal (anonymous when signed out).</summary>
    public AuthKitAuthenticationState(AuthResult auth)
        : this(CreatePrincipal(auth), auth)
    {
    }

    /// <summary>Creates the state for <paramref name="auth"/> with the given principal (e.g. the host's, with app claims).</summary>
    internal AuthKitAuthenticationState(ClaimsPrincipal user, AuthResult auth)
        : base(user)
    {
        ArgumentNullException.ThrowIfNull(auth);
        Auth = auth;
    }

    /// <summary>The anonymous state.</summary>
    public static AuthKitAuthenticationState Anonymous { get; } = new(AuthResult.Anonymous);

    /// <summary>The session behind <see cref="AuthenticationState.User"/>; <see cref="AuthResult.Anonymous"/> when signed out.</summary>
    public AuthResult Auth { get; }

    private static ClaimsPrincipal CreatePrincipal(AuthResult auth)
    {
        ArgumentNullException.ThrowIfNull(auth);
        return auth.IsAuthenticated ? AuthKitIdentity.CreatePrincipal(auth) : new ClaimsPrincipal(new ClaimsIdentity());
    }
}
