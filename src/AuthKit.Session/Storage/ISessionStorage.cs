namespace AuthKit.Session;

/// <summary>
/// Reads and writes AuthKit's cookies for a host framework (port of the npm package's <c>SessionStorage</c>).
/// </summary>
/// <typeparam name="TRequest">The host's request type.</typeparam>
/// <typeparam name="TResponse">The host's response type.</typeparam>
public interface ISessionStorage<TRequest, TResponse>
{
    /// <summary>Reads a cookie by name; null when absent.</summary>
    ValueTask<string?> GetCookieAsync(TRequest request, string name, CancellationToken cancellationToken = default);
    /// <summary>Writes a cookie.</summary>
    ValueTask<SessionStorageResult<TResponse>> SetCookieAsync(TResponse? response, string name, string value, AuthKitCookieOptions options, CancellationToken cancellationToken = default);
    /// <summary>Clears a cookie (empty value, <c>Max-Age=0</c>, same attributes).</summary>
    ValueTask<SessionStorageResult<TResponse>> ClearCookieAsync(TResponse? response, string name, AuthKitCookieOptions options, CancellationToken cancellationToken = default);
    /// <summary>Reads the sealed session cookie; null when absent.</summary>
    ValueTask<string?> GetSessionAsync(TRequest request, CancellationToken cancellationToken = default);
    /// <summary>Writes the sealed session cookie.</summary>
    ValueTask<SessionStorageResult<TResponse>> SaveSessionAsync(TResponse? response, string sealedSession, CancellationToken cancellationToken = default);
    /// <summary>Clears the session cookie.</summary>
    ValueTask<SessionStorageResult<TResponse>> ClearSessionAsync(TResponse? response, CancellationToken cancellationToken = default);
}
