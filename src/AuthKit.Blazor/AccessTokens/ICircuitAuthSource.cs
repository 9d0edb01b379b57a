namespace AuthKit.Blazor;

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
