using Microsoft.Extensions.Primitives;

namespace AuthKit.Session;

/// <summary>Attributes of a cookie written by AuthKit (serialized in the npm package's order).</summary>
public sealed record AuthKitCookieOptions
{
    /// <summary>Cookie path. Default <c>/</c>.</summary>
    public string? Path { get; init; } = "/";
    /// <summary>Cookie domain, or null for host-only.</summary>
    public string? Domain { get; init; }
    /// <summary>Max-Age, or null for a browser-session cookie.</summary>
    public TimeSpan? MaxAge { get; init; }
    /// <summary>HttpOnly flag.</summary>
    public bool HttpOnly { get; init; } = true;
    /// <summary>Secure flag.</summary>
    public bool Secure { get; init; }
    /// <summary><c>lax</c>, <c>strict</c> or <c>none</c> (serialized as <c>Lax</c>, <c>Strict</c>, <c>None</c>), or null.</summary>
    public string? SameSite { get; init; }
    /// <summary>Priority attribute, verbatim, or null.</summary>
    public string? Priority { get; init; }
    /// <summary>Partitioned flag.</summary>
    public bool Partitioned { get; init; }
}

/// <summary>
/// What a storage write produced: the (possibly new) response and/or headers to add to it.
/// Several <c>Set-Cookie</c> values stay separate in one <see cref="StringValues"/>.
/// </summary>
/// <param name="Response">The response object, when the adapter wrote to it or created a new one.</param>
/// <param name="Headers">Headers to add, when the adapter did not write them itself.</param>
public readonly record struct SessionStorageResult<TResponse>(TResponse? Response, IReadOnlyDictionary<string, StringValues>? Headers);

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
