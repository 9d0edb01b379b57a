using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace AuthKit.Session;

/// <summary>
/// Framework-agnostic authentication service (port of the npm package's <c>AuthService</c> and <c>AuthOperations</c>):
/// reads the session through a host's <see cref="ISessionStorage{TRequest, TResponse}"/>, validates and refreshes it,
/// runs the PKCE sign-in flow and signs out. Register one per host request/response type.
/// </summary>
/// <typeparam name="TRequest">The host's request type.</typeparam>
/// <typeparam name="TResponse">The host's response type.</typeparam>
public sealed partial class AuthService<TRequest, TResponse>
{
    private readonly IOptions<AuthKitOptions> _options;
    private readonly Lazy<ISessionStorage<TRequest, TResponse>> _storage;
    private readonly SessionResolver _engine;
    private readonly AuthKitCore _core;
    private readonly ISessionEncryption _encryption;
    private readonly ILogger _logger;

    /// <summary>Creates the service. Options are read on first use.</summary>
    /// <param name="options">AuthKit options.</param>
    /// <param name="storage">The host's cookie storage.</param>
    /// <param name="engine">The session engine (singleton): every validation, refresh and sign-out goes through it.</param>
    /// <param name="encryption">Seals the PKCE state.</param>
    /// <param name="logger">Logger. Default none.</param>
    public AuthService(
        IOptions<AuthKitOptions> options,
        ISessionStorage<TRequest, TResponse> storage,
        SessionResolver engine,
        ISessionEncryption encryption,
        ILogger<AuthService<TRequest, TResponse>>? logger = null)
        : this(options, new Lazy<ISessionStorage<TRequest, TResponse>>(storage ?? throw new ArgumentNullException(nameof(storage))), engine, encryption, logger)
    {
    }

    private AuthService(
        IOptions<AuthKitOptions> options,
        Lazy<ISessionStorage<TRequest, TResponse>> storage,
        SessionResolver engine,
        ISessionEncryption encryption,
        ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(encryption);
        _options = options;
        _storage = storage;
        _engine = engine;
        _core = engine.Core;
        _encryption = encryption;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Creates a stand-alone service without dependency injection. Nothing is read until first use, so configuration
    /// can be supplied after this call (the npm package's lazy factory): <paramref name="optionsFactory"/> runs once, on
    /// first use, and its result is checked like the DI path does (environment overrides, then validation).
    /// </summary>
    /// <param name="optionsFactory">Produces the options on first use.</param>
    /// <param name="storageFactory">Creates the host's storage from the resolved options.</param>
    /// <param name="httpHandler">HTTP handler for WorkOS calls (tests, proxies). Default a pooled <see cref="SocketsHttpHandler"/>.</param>
    /// <param name="timeProvider">Clock. Default <see cref="TimeProvider.System"/>.</param>
    /// <param name="coreOptions">Core tuning. Default <see cref="AuthKitCoreOptions"/> defaults.</param>
    public static AuthService<TRequest, TResponse> Create(
        Func<AuthKitOptions> optionsFactory,
        Func<AuthKitOptions, ISessionStorage<TRequest, TResponse>> storageFactory,
        HttpMessageHandler? httpHandler = null,
        TimeProvider? timeProvider = null,
        AuthKitCoreOptions? coreOptions = null)
    {
        ArgumentNullException.ThrowIfNull(optionsFactory);
        ArgumentNullException.ThrowIfNull(storageFactory);
        var time = timeProvider ?? TimeProvider.System;
        var options = new LazyAuthKitOptions(optionsFactory);
        var core = Options.Create(coreOptions ?? new AuthKitCoreOptions());
        var handler = httpHandler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) };
        var workOS = new WorkOSUserManagementClient(new HttpClient(handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(30) }, options, time);
        var verifier = new JwksAccessTokenVerifier(options, core, new SingleHandlerHttpClientFactory(handler), time);
        var encryption = new SessionEncryption(time);
        var authKitCore = new AuthKitCore(options, workOS, encryption, verifier, core, time);
        var storage = new Lazy<ISessionStorage<TRequest, TResponse>>(() => storageFactory(options.Value));
        return new AuthService<TRequest, TResponse>(options, storage, new SessionResolver(authKitCore), encryption, null);
    }

    /// <summary>The session core (sealing, verification).</summary>
    public AuthKitCore Core => _core;

    /// <summary>The session engine this service runs on.</summary>
    public SessionResolver Engine => _engine;

    /// <summary>The WorkOS client, for calls AuthKit does not wrap.</summary>
    public IWorkOSUserManagement WorkOS => _core.WorkOS;

    private ISessionStorage<TRequest, TResponse> Storage => _storage.Value;

    private AuthKitOptions Settings => _options.Value;

    /// <summary>
    /// Reads and validates the session cookie through the engine, refreshing tokens that are expired (or cannot be
    /// verified), as the npm package's <c>withAuth</c> does. Never throws for a bad cookie or a failed refresh: those give
    /// <see cref="AuthResult.Anonymous"/> (a transient WorkOS failure while the access token is still valid keeps the
    /// user). When the tokens were refreshed, or a newer session of this browser was recorded by the engine,
    /// <see cref="WithAuthResult.RefreshedSessionData"/> holds the new cookie value to save.
    /// </summary>
    public async Task<WithAuthResult> WithAuthAsync(TRequest request, CancellationToken cancellationToken = default)
    {
        try
        {
            var sealedSession = await Storage.GetSessionAsync(request, cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrEmpty(sealedSession))
            {
                return WithAuthResult.Anonymous;
            }

            var resolution = await _engine.ResolveCookieAsync(sealedSession, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            if (!resolution.IsSignedIn)
            {
                Log.WithAuthFailed(_logger, resolution.Status.ToString(), resolution.IsFinal);
                return WithAuthResult.Anonymous;
            }

            return new WithAuthResult(resolution.Auth, resolution.SealedSession);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            Log.WithAuthFailed(_logger, e.GetType().Name, (e as TokenRefreshException)?.IsFinal);
            return WithAuthResult.Anonymous;
        }
    }

    /// <summary>Reads the session cookie; null when there is none. Throws an <see cref="AuthKitException"/> when it cannot be unsealed.</summary>
    public async Task<Session?> GetSessionAsync(TRequest request, CancellationToken cancellationToken = default)
    {
        var sealedSession = await Storage.GetSessionAsync(request, cancellationToken).ConfigureAwait(false);
        return string.IsNullOrEmpty(sealedSession) ? null : _core.DecryptSession(sealedSession);
    }

    /// <summary>Writes a sealed session into the cookie.</summary>
    public ValueTask<SessionStorageResult<TResponse>> SaveSessionAsync(TResponse? response, string sealedSession, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sealedSession);
        return Storage.SaveSessionAsync(response, sealedSession, cancellationToken);
    }

    /// <summary>Clears the session cookie.</summary>
    public ValueTask<SessionStorageResult<TResponse>> ClearSessionAsync(TResponse? response, CancellationToken cancellationToken = default) =>
        Storage.ClearSessionAsync(response, cancellationToken);

    /// <summary>
    /// Signs out: returns the WorkOS logout URL for <paramref name="sessionId"/> (redirect the browser there) and clears
    /// the session cookie. Cached verifications of the session are dropped.
    /// </summary>
    /// <param name="sessionId">The session to end (<see cref="AuthResult.SessionId"/>).</param>
    /// <param name="returnTo">Where WorkOS sends the browser afterwards. Default none (the WorkOS default).</param>
    /// <param name="response">The host's response, if the storage writes to it.</param>
    /// <param name="cancellationToken">Cancels the cookie write.</param>
    public async Task<SignOutResult<TResponse>> SignOutAsync(string sessionId, string? returnTo = null, TResponse? response = default, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        var logoutUrl = WorkOS.GetLogoutUrl(sessionId, returnTo);
        await _core.EndSessionAsync(sessionId, cancellationToken).ConfigureAwait(false); // the engine's one sign-out
        var clear = await Storage.ClearSessionAsync(response, cancellationToken).ConfigureAwait(false);
        Log.SignedOut(_logger, sessionId);
        return new SignOutResult<TResponse>(logoutUrl, clear);
    }

    /// <summary>Switches the session to another organization (a forced refresh scoped to it). Throws <see cref="TokenRefreshException"/> on failure.</summary>
    public Task<SessionRefreshResult> SwitchOrganizationAsync(Session session, string organizationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(organizationId);
        return RefreshSessionAsync(session, organizationId, cancellationToken);
    }

    /// <summary>
    /// Forces a refresh through the engine (optionally into <paramref name="organizationId"/>, else the current
    /// organization) and seals the successor (a successor the engine already recorded for this refresh token is used
    /// instead of spending it). Throws <see cref="TokenRefreshException"/> on failure
    /// (<see cref="TokenRefreshException.IsFinal"/> when WorkOS rejected the refresh token or the session was signed out).
    /// </summary>
    public async Task<SessionRefreshResult> RefreshSessionAsync(Session session, string? organizationId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var resolution = string.IsNullOrEmpty(organizationId)
            ? await _engine.ResolveSessionAsync(session, force: true, cancellationToken).ConfigureAwait(false)
            : await _engine.SwitchOrganizationAsync(session, organizationId, cancellationToken).ConfigureAwait(false);
        if (resolution.Status == SessionResolutionStatus.Updated && resolution.Auth.Session is { } next)
        {
            return new SessionRefreshResult(resolution.Auth, next, resolution.SealedSession!);
        }

        var sessionId = SessionResolver.TryReadClaims(session.AccessToken)?.SessionId;
        throw resolution.Status switch
        {
            _ when resolution.Error is TokenRefreshException refresh => refresh,
            SessionResolutionStatus.Ended => new TokenRefreshException("The session was signed out.", session.User?.Id, sessionId, isFinal: true),
            SessionResolutionStatus.Invalid => new TokenRefreshException("The session's access token is malformed, or its successor did not verify.", session.User?.Id, sessionId, isFinal: true),
            _ => new TokenRefreshException("Failed to refresh the session.", session.User?.Id, sessionId, resolution.Error),
        };
    }

    /// <summary>
    /// Starts a PKCE sign-in: seals the state, writes the per-flow verifier cookie (clearing stale ones past 5 when
    /// <see cref="AuthorizationOptions.RequestCookieNames"/> is given) and returns the WorkOS authorization URL.
    /// </summary>
    /// <exception cref="PkcePayloadTooLargeException">The custom state or the verifier cookie is too large.</exception>
    public async Task<AuthorizationResult<TResponse>> CreateAuthorizationAsync(TResponse? response, AuthorizationOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new AuthorizationOptions();
        var settings = Settings;
        var redirectUri = options.RedirectUri ?? settings.RedirectUri;
        if (string.IsNullOrEmpty(redirectUri))
        {
            throw new InvalidOperationException("AuthKit is not configured: set AuthKit:RedirectUri (environment variable WORKOS_REDIRECT_URI).");
        }

        var pkce = Pkce.CreateAuthorizationState(_encryption, settings, options.ReturnPathname, options.State, options.RedirectUri);
        var url = WorkOS.GetAuthorizationUrl(new AuthorizationUrlRequest
        {
            RedirectUri = redirectUri,
            State = pkce.SealedState,
            CodeChallenge = pkce.CodeChallenge,
            ScreenHint = options.ScreenHint,
            OrganizationId = options.OrganizationId,
            LoginHint = options.LoginHint,
            DomainHint = options.DomainHint,
            Provider = string.IsNullOrEmpty(options.Provider) ? AuthKitProviders.AuthKit : options.Provider,
            ConnectionId = options.ConnectionId,
            InvitationToken = options.InvitationToken,
            Prompt = options.Prompt,
            MaxAge = options.MaxAge,
        });

        var write = await Storage.SetCookieAsync(response, pkce.CookieName, pkce.SealedState, pkce.CookieOptions, cancellationToken).ConfigureAwait(false);
        var current = write.Response ?? response;
        var headers = write.Headers;
        IReadOnlyList<string> evicted = [];
        if (options.RequestCookieNames is { } names)
        {
            evicted = PkceCookies.SelectStaleVerifierCookieNames(names, pkce.CookieName);
            var clearOptions = PkceCookies.GetVerifierCookieOptions(settings);
            foreach (var name in evicted)
            {
                var clear = await Storage.ClearCookieAsync(current, name, clearOptions, cancellationToken).ConfigureAwait(false);
                current = clear.Response ?? current;
                headers = Merge(headers, clear.Headers);
            }

            if (evicted.Count > 0)
            {
                Log.EvictedVerifiers(_logger, evicted.Count);
            }
        }

        return new AuthorizationResult<TResponse>(url, pkce.CookieName, evicted, current, headers);
    }

    /// <summary>Starts a sign-in (<c>screen_hint=sign-in</c>); see <see cref="CreateAuthorizationAsync"/>.</summary>
    public Task<AuthorizationResult<TResponse>> CreateSignInAsync(TResponse? response, AuthorizationOptions? options = null, CancellationToken cancellationToken = default) =>
        CreateAuthorizationAsync(response, (options ?? new AuthorizationOptions()) with { ScreenHint = "sign-in" }, cancellationToken);

    /// <summary>Starts a sign-up (<c>screen_hint=sign-up</c>); see <see cref="CreateAuthorizationAsync"/>.</summary>
    public Task<AuthorizationResult<TResponse>> CreateSignUpAsync(TResponse? response, AuthorizationOptions? options = null, CancellationToken cancellationToken = default) =>
        CreateAuthorizationAsync(response, (options ?? new AuthorizationOptions()) with { ScreenHint = "sign-up" }, cancellationToken);

    /// <summary>
    /// Completes the sign-in: compares <paramref name="state"/> with this flow's verifier cookie (constant time, before
    /// decrypting), unseals it, exchanges <paramref name="code"/> with the PKCE verifier, saves the session and clears the
    /// verifier cookie; both <c>Set-Cookie</c> values are returned separately in <see cref="StorageWriteResult{TResponse}.Headers"/>
    /// (or written by the storage). On any failure the verifier cookie is cleared (best effort, on
    /// <paramref name="response"/>) and the error rethrown; headers-only hosts should call
    /// <see cref="ClearPendingVerifierAsync"/> in their error path to get that header.
    /// </summary>
    /// <exception cref="OAuthStateMismatchException">State missing or different from the cookie.</exception>
    /// <exception cref="PkceCookieMissingException">The verifier cookie was not sent.</exception>
    /// <exception cref="WorkOSApiException">The code exchange failed.</exception>
    /// <exception cref="AuthKitException">The state is tampered or expired, or the code is missing.</exception>
    public async Task<CallbackResult<TResponse>> HandleCallbackAsync(TRequest request, TResponse? response, string? code, string? state, CancellationToken cancellationToken = default)
    {
        var cookieName = string.IsNullOrEmpty(state) ? null : PkceCookies.GetCookieName(state);
        var cookieValue = cookieName is null ? null : await Storage.GetCookieAsync(request, cookieName, cancellationToken).ConfigureAwait(false);

        PkceState unsealed;
        try
        {
            unsealed = _core.VerifyCallbackState(state, cookieValue);
        }
        catch (Exception e)
        {
            Log.CallbackRejected(_logger, e.GetType().Name);
            // We do not know a per-request redirect URI yet: clear without Secure in the lax case so the delete is
            // accepted over http callbacks too (cookies are replaced by name, domain and path).
            await BestEffortClearVerifierAsync(response, cookieName, redirectUri: null, schemeAgnostic: true).ConfigureAwait(false);
            throw;
        }

        try
        {
            if (string.IsNullOrEmpty(code))
            {
                throw new AuthKitException("The callback has no authorization code. Start the sign-in again.");
            }

            AuthenticationResponse authentication;
            try
            {
                authentication = await WorkOS.AuthenticateWithCodeAsync(code, unsealed.CodeVerifier, cancellationToken).ConfigureAwait(false);
            }
            catch (WorkOSAuthenticationRequiredException step) when (step.Pending is { } pending)
            {
                throw new SignInStepRequiredException(pending, ReturnPath.Sanitize(unsealed.ReturnPathname), unsealed.CustomState, unsealed.RedirectUri, step);
            }

            var signedIn = await SaveSignInAsync(response, authentication, cancellationToken).ConfigureAwait(false);
            var clear = await Storage.ClearCookieAsync(signedIn.Save.Response ?? response, cookieName!,
                PkceCookies.GetVerifierCookieOptions(Settings, unsealed.RedirectUri), cancellationToken).ConfigureAwait(false);
            return new CallbackResult<TResponse>(
                clear.Response ?? signedIn.Save.Response,
                Merge(signedIn.Save.Headers, clear.Headers),
                ReturnPath.Sanitize(unsealed.ReturnPathname),
                unsealed.CustomState,
                authentication,
                signedIn.Auth,
                signedIn.SealedSession);
        }
        catch (Exception e)
        {
            Log.CallbackFailed(_logger, e.GetType().Name);
            await BestEffortClearVerifierAsync(response, cookieName, unsealed.RedirectUri, schemeAgnostic: false).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Completes an <c>organization_selection_required</c> step (from <see cref="SignInStepRequiredException"/>) with the
    /// organization-selection grant and saves the session as the callback does.
    /// </summary>
    /// <param name="response">The host's response.</param>
    /// <param name="pendingAuthenticationToken">The step's token (<see cref="PendingAuthentication.Token"/>).</param>
    /// <param name="organizationId">The chosen organization.</param>
    /// <param name="returnPathname">Where to go afterwards (sanitized).</param>
    /// <param name="state">The application state to hand back in the result.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="SignInStepRequiredException">WorkOS asks for yet another step.</exception>
    /// <exception cref="WorkOSApiException">WorkOS refused (e.g. not a member, token expired).</exception>
    public Task<CallbackResult<TResponse>> CompleteOrganizationSelectionAsync(TResponse? response, string pendingAuthenticationToken, string organizationId,
        string? returnPathname = null, string? state = null, CancellationToken cancellationToken = default) =>
        CompleteStepAsync(response, ct => WorkOS.AuthenticateWithOrganizationSelectionAsync(pendingAuthenticationToken, organizationId, ct), returnPathname, state, cancellationToken);

    /// <summary>Completes an <c>email_verification_required</c> step with the emailed code; see <see cref="CompleteOrganizationSelectionAsync"/>.</summary>
    /// <param name="response">The host's response.</param>
    /// <param name="pendingAuthenticationToken">The step's token.</param>
    /// <param name="code">The code the user received.</param>
    /// <param name="returnPathname">Where to go afterwards (sanitized).</param>
    /// <param name="state">The application state to hand back in the result.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="SignInStepRequiredException">WorkOS asks for yet another step.</exception>
    /// <exception cref="WorkOSApiException">WorkOS refused: <see cref="WorkOSApiException.ErrorCode"/> <c>invalid_code</c> or <c>expired_code</c>, ...</exception>
    public Task<CallbackResult<TResponse>> CompleteEmailVerificationAsync(TResponse? response, string pendingAuthenticationToken, string code,
        string? returnPathname = null, string? state = null, CancellationToken cancellationToken = default) =>
        CompleteStepAsync(response, ct => WorkOS.AuthenticateWithEmailVerificationAsync(pendingAuthenticationToken, code, ct), returnPathname, state, cancellationToken);

    /// <summary>Completes an <c>mfa_challenge</c> step with a TOTP code; see <see cref="CompleteOrganizationSelectionAsync"/>.</summary>
    /// <param name="response">The host's response.</param>
    /// <param name="pendingAuthenticationToken">The step's token.</param>
    /// <param name="authenticationChallengeId">The challenge (<see cref="PendingAuthentication.AuthenticationChallengeId"/> or <see cref="IWorkOSUserManagement.ChallengeAuthenticationFactorAsync"/>).</param>
    /// <param name="code">The 6-digit code from the user's authenticator app.</param>
    /// <param name="returnPathname">Where to go afterwards (sanitized).</param>
    /// <param name="state">The application state to hand back in the result.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="SignInStepRequiredException">WorkOS asks for yet another step.</exception>
    /// <exception cref="WorkOSApiException">WorkOS refused: <see cref="WorkOSApiException.ErrorCode"/> <c>invalid_one_time_code</c>, <c>expired_challenge</c>, ...</exception>
    public Task<CallbackResult<TResponse>> CompleteTotpAsync(TResponse? response, string pendingAuthenticationToken, string authenticationChallengeId, string code,
        string? returnPathname = null, string? state = null, CancellationToken cancellationToken = default) =>
        CompleteStepAsync(response, ct => WorkOS.AuthenticateWithTotpAsync(pendingAuthenticationToken, authenticationChallengeId, code, ct), returnPathname, state, cancellationToken);

    private async Task<CallbackResult<TResponse>> CompleteStepAsync(TResponse? response, Func<CancellationToken, Task<AuthenticationResponse>> grant,
        string? returnPathname, string? state, CancellationToken cancellationToken)
    {
        var returnPath = ReturnPath.Sanitize(returnPathname);
        AuthenticationResponse authentication;
        try
        {
            authentication = await grant(cancellationToken).ConfigureAwait(false);
        }
        catch (WorkOSAuthenticationRequiredException step) when (step.Pending is { } pending)
        {
            throw new SignInStepRequiredException(pending, returnPath, state, null, step);
        }

        var signedIn = await SaveSignInAsync(response, authentication, cancellationToken).ConfigureAwait(false);
        return new CallbackResult<TResponse>(signedIn.Save.Response, signedIn.Save.Headers, returnPath, state, authentication, signedIn.Auth, signedIn.SealedSession);
    }

    /// <summary>The one place a completed sign-in becomes a session: sealed and saved through the storage.</summary>
    private async Task<(SessionStorageResult<TResponse> Save, AuthResult Auth, string SealedSession)> SaveSignInAsync(
        TResponse? response, AuthenticationResponse authentication, CancellationToken cancellationToken)
    {
        var session = new Session
        {
            AccessToken = authentication.AccessToken,
            RefreshToken = authentication.RefreshToken,
            User = authentication.User,
            Impersonator = authentication.Impersonator,
        };
        var auth = AuthResult.FromSession(session, AccessTokens.ParseUnverified(session.AccessToken));
        var sealedSession = _core.EncryptSession(session);
        var save = await Storage.SaveSessionAsync(response, sealedSession, cancellationToken).ConfigureAwait(false);
        Log.SignedIn(_logger, authentication.User.Id, auth.SessionId);
        return (save, auth, sealedSession);
    }

    /// <summary>Clears the verifier cookie of the flow identified by <paramref name="state"/> (e.g. after an OAuth error callback).</summary>
    /// <param name="response">The host's response.</param>
    /// <param name="state">The callback's <c>state</c> parameter.</param>
    /// <param name="redirectUri">The per-request redirect URI used at sign-in, if any (so <c>Secure</c> matches).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public ValueTask<SessionStorageResult<TResponse>> ClearPendingVerifierAsync(TResponse? response, string state, string? redirectUri = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(state);
        return ClearPendingVerifierByNameAsync(response, PkceCookies.GetCookieName(state), redirectUri, cancellationToken);
    }

    /// <summary>Clears a verifier cookie by name (e.g. stale ones found on the request). Refuses names that are not verifier cookies.</summary>
    /// <exception cref="ArgumentException"><paramref name="cookieName"/> is not a <c>wos-auth-verifier</c> cookie.</exception>
    public ValueTask<SessionStorageResult<TResponse>> ClearPendingVerifierByNameAsync(TResponse? response, string cookieName, string? redirectUri = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cookieName);
        if (!PkceCookies.IsVerifierCookieName(cookieName))
        {
            throw new ArgumentException($"Refusing to clear \"{(cookieName.Length > 64 ? cookieName[..64] + "..." : cookieName)}\": it is not a PKCE verifier cookie.", nameof(cookieName));
        }

        return Storage.ClearCookieAsync(response, cookieName, PkceCookies.GetVerifierCookieOptions(Settings, redirectUri), cancellationToken);
    }

    private async ValueTask BestEffortClearVerifierAsync(TResponse? response, string? cookieName, string? redirectUri, bool schemeAgnostic)
    {
        if (cookieName is null)
        {
            return;
        }

        try
        {
            var options = schemeAgnostic
                ? PkceCookies.GetVerifierDeletionOptions(Settings)
                : PkceCookies.GetVerifierCookieOptions(Settings, redirectUri);

            await Storage.ClearCookieAsync(response, cookieName, options, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Cleanup must never mask the original failure.
            Log.VerifierClearFailed(_logger, e.GetType().Name);
        }
    }

    private static IReadOnlyDictionary<string, StringValues>? Merge(IReadOnlyDictionary<string, StringValues>? a, IReadOnlyDictionary<string, StringValues>? b) =>
        a is null ? b : b is null ? a : CookieSessionStorage<TRequest, TResponse>.MergeHeaders(a, b);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3401, Level = LogLevel.Debug, Message = "Session rejected; treating the request as anonymous ({Reason}, final: {IsFinal}).")]
        public static partial void WithAuthFailed(ILogger logger, string reason, bool? isFinal);

        [LoggerMessage(EventId = 3402, Level = LogLevel.Information, Message = "User {UserId} signed in (session {SessionId}).")]
        public static partial void SignedIn(ILogger logger, string userId, string? sessionId);

        [LoggerMessage(EventId = 3403, Level = LogLevel.Information, Message = "Session {SessionId} signed out.")]
        public static partial void SignedOut(ILogger logger, string sessionId);

        [LoggerMessage(EventId = 3404, Level = LogLevel.Warning, Message = "Sign-in callback rejected before the code exchange ({Reason}).")]
        public static partial void CallbackRejected(ILogger logger, string reason);

        [LoggerMessage(EventId = 3405, Level = LogLevel.Warning, Message = "Sign-in callback failed ({Reason}).")]
        public static partial void CallbackFailed(ILogger logger, string reason);

        [LoggerMessage(EventId = 3406, Level = LogLevel.Debug, Message = "Cleared {Count} stale PKCE verifier cookie(s).")]
        public static partial void EvictedVerifiers(ILogger logger, int count);

        [LoggerMessage(EventId = 3407, Level = LogLevel.Debug, Message = "Clearing the PKCE verifier cookie failed ({Reason}).")]
        public static partial void VerifierClearFailed(ILogger logger, string reason);
    }
}
