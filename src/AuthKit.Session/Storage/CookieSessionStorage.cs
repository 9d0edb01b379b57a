using Microsoft.Extensions.Primitives;

namespace AuthKit.Session;

/// <summary>
/// Base class for cookie-based <see cref="ISessionStorage{TRequest, TResponse}"/> adapters (port of the npm package's
/// <c>CookieSessionStorage</c>). A host implements <see cref="GetCookieAsync"/> and, when it can write to its response
/// directly, <see cref="ApplySetCookieAsync"/>; otherwise the <c>Set-Cookie</c> values come back as headers.
/// </summary>
/// <typeparam name="TRequest">The host's request type.</typeparam>
/// <typeparam name="TResponse">The host's response type.</typeparam>
public abstract class CookieSessionStorage<TRequest, TResponse> : ISessionStorage<TRequest, TResponse>
{
    /// <summary>The <c>Set-Cookie</c> header name.</summary>
    public const string SetCookieHeaderName = "Set-Cookie";

    /// <summary>
    /// Creates the storage with the package's defaults: name <see cref="AuthKitOptions.CookieName"/> (default <c>wos-session</c>),
    /// <c>Path=/</c>, <c>HttpOnly</c>, SameSite from the options (default <c>lax</c>), <c>Max-Age</c> from
    /// <see cref="AuthKitOptions.CookieMaxAge"/> (default 400 days), Domain from <see cref="AuthKitOptions.CookieDomain"/>,
    /// Secure when SameSite is <c>none</c> or the redirect URI is https (and when it does not parse).
    /// </summary>
    protected CookieSessionStorage(AuthKitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        CookieName = string.IsNullOrEmpty(options.CookieName) ? AuthKitOptions.DefaultCookieName : options.CookieName;
        string sameSite = string.IsNullOrEmpty(options.CookieSameSite) ? "lax" : options.CookieSameSite;
        bool secure = string.Equals(sameSite, "none", StringComparison.OrdinalIgnoreCase) || RedirectUriScheme.IsSecureOrUnparsable(options.RedirectUri);
        SessionCookieOptions = new AuthKitCookieOptions
        {
            Path = "/",
            HttpOnly = true,
            SameSite = sameSite,
            Secure = secure,
            MaxAge = options.CookieMaxAge,
            Domain = string.IsNullOrEmpty(options.CookieDomain) ? null : options.CookieDomain,
        };
    }

    /// <summary>The session cookie's name.</summary>
    public string CookieName { get; }

    /// <summary>The session cookie's attributes.</summary>
    public AuthKitCookieOptions SessionCookieOptions { get; }

    /// <inheritdoc />
    public abstract ValueTask<string?> GetCookieAsync(TRequest request, string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a serialized <c>Set-Cookie</c> value to the host's response when the host can; returns the result (with the
    /// possibly new response), or null to hand the header back in <see cref="SessionStorageResult{TResponse}.Headers"/>.
    /// Default: null.
    /// </summary>
    protected virtual ValueTask<SessionStorageResult<TResponse>?> ApplySetCookieAsync(TResponse? response, string setCookieHeader, CancellationToken cancellationToken) =>
        ValueTask.FromResult<SessionStorageResult<TResponse>?>(null);

    /// <summary>Serializes a <c>Set-Cookie</c> value (override to add attributes). Default <see cref="SetCookieSerializer.Serialize"/>.</summary>
    protected virtual string SerializeCookie(string name, string value, AuthKitCookieOptions options, bool expired) =>
        SetCookieSerializer.Serialize(name, value, options, expired);

    /// <inheritdoc />
    public virtual ValueTask<SessionStorageResult<TResponse>> SetCookieAsync(TResponse? response, string name, string value, AuthKitCookieOptions options, CancellationToken cancellationToken = default) =>
        WriteAsync(response, SerializeCookie(name, value, options, expired: false), cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<SessionStorageResult<TResponse>> ClearCookieAsync(TResponse? response, string name, AuthKitCookieOptions options, CancellationToken cancellationToken = default) =>
        WriteAsync(response, SerializeCookie(name, string.Empty, options, expired: true), cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<string?> GetSessionAsync(TRequest request, CancellationToken cancellationToken = default) =>
        GetCookieAsync(request, CookieName, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<SessionStorageResult<TResponse>> SaveSessionAsync(TResponse? response, string sealedSession, CancellationToken cancellationToken = default) =>
        SetCookieAsync(response, CookieName, sealedSession, SessionCookieOptions, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<SessionStorageResult<TResponse>> ClearSessionAsync(TResponse? response, CancellationToken cancellationToken = default) =>
        ClearCookieAsync(response, CookieName, SessionCookieOptions, cancellationToken);

    private async ValueTask<SessionStorageResult<TResponse>> WriteAsync(TResponse? response, string header, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        SessionStorageResult<TResponse>? applied = await ApplySetCookieAsync(response, header, cancellationToken).ConfigureAwait(false);
        return applied ?? new SessionStorageResult<TResponse>(response, CreateHeaders(header));
    }

    /// <summary>A case-insensitive headers bag holding one <c>Set-Cookie</c> value.</summary>
    protected static IReadOnlyDictionary<string, StringValues> CreateHeaders(string setCookieHeader) =>
        new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase) { [SetCookieHeaderName] = new StringValues(setCookieHeader) };

    /// <summary>
    /// Merges header bags so several <c>Set-Cookie</c> values stay separate values of one <see cref="StringValues"/>
    /// (never comma-joined).
    /// </summary>
    public static IReadOnlyDictionary<string, StringValues> MergeHeaders(params IEnumerable<IReadOnlyDictionary<string, StringValues>?> bags)
    {
        var merged = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
        foreach (IReadOnlyDictionary<string, StringValues>? bag in bags)
        {
            if (bag is null) continue;
            foreach (KeyValuePair<string, StringValues> header in bag)
            {
                merged[header.Key] = merged.TryGetValue(header.Key, out StringValues existing) ? StringValues.Concat(existing, header.Value) : header.Value;
            }
        }
        return merged;
    }
}
