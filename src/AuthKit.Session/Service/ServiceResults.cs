using Microsoft.Extensions.Primitives;

namespace AuthKit.Session;

/// <summary>The outcome of <see cref="AuthService{TRequest, TResponse}.WithAuthAsync"/>.</summary>
public sealed class WithAuthResult
{
    /// <summary>The anonymous outcome (no cookie, or any failure).</summary>
    public static WithAuthResult Anonymous { get; } = new(AuthResult.Anonymous, null);

    /// <summary>Creates the result.</summary>
    public WithAuthResult(AuthResult auth, string? refreshedSessionData)
    {
        ArgumentNullException.ThrowIfNull(auth);
        Auth = auth;
        RefreshedSessionData = refreshedSessionData;
    }

    /// <summary>Who is signed in (or <see cref="AuthResult.Anonymous"/>).</summary>
    public AuthResult Auth { get; }

    /// <summary>The sealed successor session when the tokens were refreshed: save it into the cookie. Otherwise null.</summary>
    public string? RefreshedSessionData { get; }
}

/// <summary>The outcome of <see cref="AuthService{TRequest, TResponse}.RefreshSessionAsync"/> and <see cref="AuthService{TRequest, TResponse}.SwitchOrganizationAsync"/>.</summary>
public sealed class SessionRefreshResult
{
    internal SessionRefreshResult(AuthResult auth, Session session, string encryptedSession)
    {
        Auth = auth;
        Session = session;
        EncryptedSession = encryptedSession;
    }

    /// <summary>The refreshed, authenticated result.</summary>
    public AuthResult Auth { get; }

    /// <summary>The successor session.</summary>
    public Session Session { get; }

    /// <summary>The sealed successor session to write into the cookie.</summary>
    public string EncryptedSession { get; }
}

/// <summary>What a storage write produced: the (possibly new) response and/or headers (several <c>Set-Cookie</c> values stay separate).</summary>
/// <typeparam name="TResponse">The host's response type.</typeparam>
public abstract class StorageWriteResult<TResponse>
{
    private protected StorageWriteResult(TResponse? response, IReadOnlyDictionary<string, StringValues>? headers)
    {
        Response = response;
        Headers = headers;
    }

    /// <summary>The response object, when the storage wrote to it or created one.</summary>
    public TResponse? Response { get; }

    /// <summary>Headers to add to the response, when the storage did not write them itself; null when none.</summary>
    public IReadOnlyDictionary<string, StringValues>? Headers { get; }
}

/// <summary>The outcome of <see cref="AuthService{TRequest, TResponse}.SignOutAsync"/>: where to send the browser, and the cookie clear.</summary>
/// <typeparam name="TResponse">The host's response type.</typeparam>
public sealed class SignOutResult<TResponse> : StorageWriteResult<TResponse>
{
    internal SignOutResult(Uri logoutUrl, SessionStorageResult<TResponse> clear) : base(clear.Response, clear.Headers) => LogoutUrl = logoutUrl;

    /// <summary>The WorkOS logout URL that ends the session and returns to the given address.</summary>
    public Uri LogoutUrl { get; }
}

/// <summary>The outcome of <see cref="AuthService{TRequest, TResponse}.CreateAuthorizationAsync"/>: the URL and the verifier cookie write.</summary>
/// <typeparam name="TResponse">The host's response type.</typeparam>
public sealed class AuthorizationResult<TResponse> : StorageWriteResult<TResponse>
{
    internal AuthorizationResult(Uri url, string cookieName, IReadOnlyList<string> evictedCookieNames, TResponse? response, IReadOnlyDictionary<string, StringValues>? headers)
        : base(response, headers)
    {
        Url = url;
        CookieName = cookieName;
        EvictedCookieNames = evictedCookieNames;
    }

    /// <summary>The WorkOS authorization URL to redirect the browser to.</summary>
    public Uri Url { get; }

    /// <summary>The name of the verifier cookie written for this flow.</summary>
    public string CookieName { get; }

    /// <summary>Stale verifier cookies cleared on the way.</summary>
    public IReadOnlyList<string> EvictedCookieNames { get; }
}

/// <summary>The outcome of <see cref="AuthService{TRequest, TResponse}.HandleCallbackAsync"/>.</summary>
/// <typeparam name="TResponse">The host's response type.</typeparam>
public sealed class CallbackResult<TResponse> : StorageWriteResult<TResponse>
{
    internal CallbackResult(TResponse? response, IReadOnlyDictionary<string, StringValues>? headers, string returnPathname, string? state,
        AuthenticationResponse authenticationResponse, AuthResult auth, string sealedSession)
        : base(response, headers)
    {
        ReturnPathname = returnPathname;
        State = state;
        AuthenticationResponse = authenticationResponse;
        Auth = auth;
        SealedSession = sealedSession;
    }

    /// <summary>Where to send the browser: the sanitized return path (always a same-origin path, <c>/</c> by default).</summary>
    public string ReturnPathname { get; }

    /// <summary>The application state given to <see cref="AuthorizationOptions.State"/>, if any.</summary>
    public string? State { get; }

    /// <summary>WorkOS's answer to the code exchange.</summary>
    public AuthenticationResponse AuthenticationResponse { get; }

    /// <summary>The signed-in user.</summary>
    public AuthResult Auth { get; }

    /// <summary>The sealed session that was saved.</summary>
    public string SealedSession { get; }
}
