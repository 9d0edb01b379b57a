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
