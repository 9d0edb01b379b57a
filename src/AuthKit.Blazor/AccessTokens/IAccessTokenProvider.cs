namespace AuthKit.Blazor;

/// <summary>
/// The current user's WorkOS access token, for calling APIs. Inside an interactive circuit it is the circuit's user
/// (refreshed through the circuit when it is about to expire); in an HTTP request it is the request's user (the
/// scheme handler already refreshed it).
/// </summary>
public interface IAccessTokenProvider
{
    /// <summary>The access token, or null when nobody is signed in.</summary>
    ValueTask<string?> GetAccessTokenAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// Implemented by the circuit's authentication state provider: the circuit's current session, revalidated first when
/// the access token is about to expire (so the circuit's state and the token stay in step).
/// </summary>
internal interface ICircuitAuthSource
{
    /// <summary>
    /// The circuit's session, refreshed when needed; anonymous when signed out. Throws
    /// <see cref="InvalidOperationException"/> when this scope never received an authentication state (not a circuit).
    /// </summary>
    ValueTask<AuthKit.Session.AuthResult> GetCurrentAuthResultAsync(CancellationToken cancellationToken = default);
}
