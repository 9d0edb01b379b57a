using AuthKit.Session;

namespace AuthKit.Testing;

/// <summary>A session minted by <see cref="WorkOSEmulator.SignIn"/> without going through the sign-in page.</summary>
public sealed class EmulatorSignIn
{
    /// <summary>The session id (<c>sid</c> claim).</summary>
    public required string SessionId { get; init; }
    /// <summary>The signed access token.</summary>
    public required string AccessToken { get; init; }
    /// <summary>The (single-use) refresh token.</summary>
    public required string RefreshToken { get; init; }
    /// <summary>The user, as the session cookie stores it.</summary>
    public required WorkOSUser User { get; init; }
    /// <summary>The organization the session is scoped to, or null.</summary>
    public string? OrganizationId { get; init; }
    /// <summary>The impersonator, when the user is impersonated.</summary>
    public Impersonator? Impersonator { get; init; }

    /// <summary>The session as AuthKit seals it into the <c>wos-session</c> cookie.</summary>
    /// <returns>A new <see cref="Session"/>.</returns>
    public Session.Session ToSession() => new()
    {
        AccessToken = AccessToken,
        RefreshToken = RefreshToken,
        User = User,
        Impersonator = Impersonator,
    };
}
