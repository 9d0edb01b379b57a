using System.Diagnostics;
using AuthKit.Session;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor;

/// <summary>
/// The authentication state of a Blazor circuit (or a prerendering request). It starts from the host's state (the
/// principal the AuthKit scheme built for the HTTP request), keeps that session for the circuit, and — unlike the
/// framework's revalidating provider, which can only sign out — replaces the principal when the session is refreshed
/// or switched to another organization. It becomes anonymous only on final failures (refresh token rejected, session
/// revoked or signed out elsewhere); transient WorkOS failures keep the user signed in while the access token is valid.
/// Revalidation is driven by AuthKit's circuit handler (timer, inbound activity, reconnection).
/// Every principal it builds for a new session runs through the app's <see cref="IClaimsTransformation"/> (resolved from
/// the circuit's services), as ASP.NET Core does for each HTTP request, so app claims survive refreshes and switches.
/// </summary>
public sealed partial class AuthKitAuthenticationStateProvider : AuthenticationStateProvider, IHostEnvironmentAuthenticationStateProvider, ICircuitAuthSource, IDisposable
{
    private readonly IAuthKitSessionCoordinator _coordinator;
    private readonly SessionCookieSync _cookieSync;
    private readonly TimeProvider _timeProvider;
    private readonly IOptions<AuthKitBlazorOptions> _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lifetime = new();
    // Taken once: the source is disposed with the provider, its token stays readable (and cancelled).
    private readonly CancellationToken _lifetimeToken;
    private readonly Lazy<IClaimsTransformation?> _claimsTransformation;
    private readonly Lock _gate = new();

    private bool _hasHostState;
    private AuthKitAuthenticationState _published = AuthKitAuthenticationState.Anonymous;
    private Task<AuthenticationState>? _stateTask;
    // The session this circuit keeps. Usually _published.Auth; stays authenticated (and is retried) while the published
    // state is anonymous because transient failures outlived the access token.
    private AuthResult _session = AuthResult.Anonymous;
    private DateTimeOffset? _retryNotBefore;
    private Task<RevalidationResult>? _inflight;
    private Task _pendingCookieWrite = Task.CompletedTask;

    internal AuthKitAuthenticationStateProvider(
        IAuthKitSessionCoordinator coordinator,
        SessionCookieSync cookieSync,
        IServiceProvider services,
        TimeProvider timeProvider,
        IOptions<AuthKitBlazorOptions> options,
        ILogger<AuthKitAuthenticationStateProvider> logger)
    {
        _coordinator = coordinator;
        _cookieSync = cookieSync;
        _timeProvider = timeProvider;
        _options = options;
        _logger = logger;
        _lifetimeToken = _lifetime.Token;
        // Resolved from the circuit's scope on first use, then kept for the circuit, as AuthenticationService keeps it for
        // a request: ASP.NET Core registers a singleton no-op, apps may register a scoped one (e.g. reading a DbContext).
        // Lazy also avoids a cycle when the app's transformation depends on the AuthenticationStateProvider. Null when
        // authentication is not registered (a bare scope). A failed resolution is retried at the next state change.
        _claimsTransformation = new(services.GetService<IClaimsTransformation>, LazyThreadSafetyMode.PublicationOnly);
    }

    /// <summary>The current state (an <see cref="AuthKitAuthenticationState"/>).</summary>
    /// <exception cref="InvalidOperationException">
    /// Called outside a Razor component's scope (before the host set the state), like the framework's provider.
    /// </exception>
    public override Task<AuthenticationState> GetAuthenticationStateAsync()
    {
        lock (_gate)
        {
            return _stateTask ?? throw new InvalidOperationException(
                "The authentication state is only available to Razor components and services resolved for them (a circuit or a " +
                "prerendering request). In other code use the HttpContext's user, or IAccessTokenProvider for the access token.");
        }
    }

    /// <summary>
    /// Accepts the host's state: the request's principal when the circuit starts, and again after each reconnection.
    /// A reconnection never downgrades the circuit: an older copy of the same session, or an anonymous principal, leaves
    /// the circuit's newer session in place (the immediate revalidation after reconnecting decides).
    /// </summary>
    public void SetAuthenticationState(Task<AuthenticationState> authenticationStateTask)
    {
        ArgumentNullException.ThrowIfNull(authenticationStateTask);
        if (authenticationStateTask.IsCompletedSuccessfully)
        {
            AcceptHostState(authenticationStateTask.Result);
            return;
        }

        var merged = AcceptHostStateAsync(authenticationStateTask);
        lock (_gate)
        {
            _stateTask = merged;
        }

        NotifyAuthenticationStateChanged(merged);
    }

    /// <summary>
    /// Switches the circuit's session to <paramref name="organizationId"/> (a refresh scoped to that organization) and
    /// replaces the principal. The cookie follows through the session endpoint. Returns false when the switch failed
    /// (not a member, WorkOS unavailable, signed out, or the app's claims transformation threw); a final failure also
    /// signs the circuit out.
    /// Prefer <c>&lt;OrganizationSwitcher&gt;</c> (a form POST) on pages that can reload.
    /// </summary>
    public async Task<bool> SwitchOrganizationAsync(string organizationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(organizationId);
        AuthResult session;
        lock (_gate)
        {
            session = _session;
        }

        if (!session.IsAuthenticated)
        {
            return false;
        }

        RevalidationResult result;
        try
        {
            result = await _coordinator.SwitchOrganizationAsync(session, organizationId, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            LogCoordinatorFailed(_logger, ex);
            return false;
        }

        // A failed switch (e.g. not a member) must not cost the user the session they still have.
        if (result.Outcome == RevalidationOutcome.TransientFailure)
        {
            return false;
        }

        // A transformation failure is a transient failure of the state change: the session in the relay is picked up
        // by the retry.
        (result, var prepared) = await PrepareAsync(session, result, cancellationToken).ConfigureAwait(false);
        Apply(session, result, prepared);
        return result.Outcome == RevalidationOutcome.Refreshed;
    }

    /// <inheritdoc />
    async ValueTask<AuthResult> ICircuitAuthSource.GetCurrentAuthResultAsync(CancellationToken cancellationToken)
    {
        await GetAuthenticationStateAsync().ConfigureAwait(false);
        var now = _timeProvider.GetUtcNow();
        if (NeedsRevalidation(now, refreshWindow: true))
        {
            await RevalidateAsync(force: false, cancellationToken).ConfigureAwait(false);
        }

        lock (_gate)
        {
            return _published.Auth;
        }
    }

    /// <summary>The session the circuit keeps (authenticated, or anonymous after a final failure).</summary>
    internal AuthResult Session
    {
        get
        {
            lock (_gate)
            {
                return _session;
            }
        }
    }

    /// <summary>Earliest time of the next attempt after a transient failure, or null.</summary>
    internal DateTimeOffset? RetryNotBefore
    {
        get
        {
            lock (_gate)
            {
                return _retryNotBefore;
            }
        }
    }

    /// <summary>The last browser cookie update started after a refresh (for tests; never faults).</summary>
    internal Task PendingCookieWrite
    {
        get
        {
            lock (_gate)
            {
                return _pendingCookieWrite;
            }
        }
    }

    /// <summary>
    /// Whether the kept session needs a check now: its access token has expired (or, with
    /// <paramref name="refreshWindow"/>, entered the refresh window), and no transient-failure back-off is running.
    /// </summary>
    internal bool NeedsRevalidation(DateTimeOffset now, bool refreshWindow)
    {
        lock (_gate)
        {
            if (!_session.IsAuthenticated || _session.AccessTokenExpiresAt is not { } expiresAt)
            {
                return false;
            }

            if (_retryNotBefore is { } retry && now < retry)
            {
                return false;
            }

            var window = refreshWindow ? RevalidationSchedule.EffectiveBuffer(_session, _options.Value.RefreshBuffer) : TimeSpan.Zero;
            return expiresAt - window <= now;
        }
    }

    /// <summary>
    /// Revalidates the kept session through the coordinator and applies the outcome. Concurrent callers (timer,
    /// inbound activity, access-token requests) share one run. Never throws for WorkOS failures.
    /// </summary>
    internal Task<RevalidationResult> RevalidateAsync(bool force, CancellationToken cancellationToken = default)
    {
        Task<RevalidationResult> run;
        lock (_gate)
        {
            run = _inflight ??= RunRevalidationAsync(force);
        }

        return run.WaitAsync(cancellationToken);
    }

    private async Task<RevalidationResult> RunRevalidationAsync(bool force)
    {
        // Leave the caller's synchronization context and the lock before calling out.
        await Task.Yield();
        AuthResult session;
        lock (_gate)
        {
            session = _session;
        }

        try
        {
            if (!session.IsAuthenticated)
            {
                return RevalidationResult.Unchanged(session);
            }

            RevalidationResult result;
            AuthKitAuthenticationState? prepared;
            try
            {
                try
                {
                    result = await _coordinator.RevalidateAsync(session, force, _lifetimeToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_lifetimeToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex)
                {
                    // The coordinator reports expected failures as values; anything else is treated as transient.
                    LogCoordinatorFailed(_logger, ex);
                    result = RevalidationResult.Transient(session, RevalidationSchedule.DefaultRetryDelay, IsAccessTokenValid(session), ex);
                }

                (result, prepared) = await PrepareAsync(session, result, _lifetimeToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_lifetimeToken.IsCancellationRequested)
            {
                return RevalidationResult.Unchanged(session);
            }

            Apply(session, result, prepared);
            return result;
        }
        finally
        {
            lock (_gate)
            {
                _inflight = null;
            }
        }
    }

    /// <summary>
    /// Builds, outside the lock, the state <paramref name="result"/> would publish for an authenticated session (a
    /// refresh, or signing back in after an outage), running the app's claims transformation on it. A transformation
    /// that throws turns the result into a transient failure of <paramref name="basis"/>, so the previous state is kept
    /// while its access token is valid and the change is retried (the successor waits in the relay).
    /// </summary>
    private async Task<(RevalidationResult Result, AuthKitAuthenticationState? Prepared)> PrepareAsync(
        AuthResult basis, RevalidationResult result, CancellationToken cancellationToken)
    {
        AuthResult? publish;
        lock (_gate)
        {
            publish = result.Outcome switch
            {
                RevalidationOutcome.Refreshed when result.Auth.IsAuthenticated => result.Auth,
                RevalidationOutcome.Unchanged when !_published.Auth.IsAuthenticated && basis.IsAuthenticated && IsAccessTokenValid(basis) => basis,
                _ => null,
            };
        }

        if (publish is null)
        {
            return (result, null);
        }

        try
        {
            return (result, await CreateStateAsync(publish, cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            var stillValid = IsAccessTokenValid(basis);
            LogClaimsTransformationFailed(_logger, result.Outcome, stillValid, ex);
            return (RevalidationResult.Transient(basis, RevalidationSchedule.DefaultRetryDelay, stillValid, ex), null);
        }
    }

    /// <summary>
    /// The state for an authenticated <paramref name="auth"/>: the principal the AuthKit scheme builds for it, passed
    /// through the app's <see cref="IClaimsTransformation"/> like ASP.NET Core's <c>AuthenticationService</c> does for a
    /// successful HTTP authentication. The state keeps <paramref name="auth"/> whatever principal the transformation returns.
    /// </summary>
    private async Task<AuthKitAuthenticationState> CreateStateAsync(AuthResult auth, CancellationToken cancellationToken) =>
        new(await AuthKitIdentity.CreateTransformedPrincipalAsync(auth, _claimsTransformation.Value, cancellationToken).ConfigureAwait(false), auth);

    private void Apply(AuthResult basis, RevalidationResult result, AuthKitAuthenticationState? prepared)
    {
        AuthKitAuthenticationState? publish = null;
        Task<AuthenticationState>? publishedTask = null;
        var writeCookie = false;
        lock (_gate)
        {
            if (_lifetime.IsCancellationRequested)
            {
                return;
            }

            if (!ReferenceEquals(_session, basis))
            {
                // The host replaced the session while we were busy (reconnection). Only a newer refresh still applies.
                if (result.Outcome != RevalidationOutcome.Refreshed || !IsNewer(result.Auth, _session))
                {
                    return;
                }
            }

            switch (result.Outcome)
            {
                case RevalidationOutcome.Unchanged:
                    _retryNotBefore = null;
                    // Back from an outage: sign in again with the state PrepareAsync built (null if it did not expect this).
                    if (prepared is not null && !_published.Auth.IsAuthenticated && _session.IsAuthenticated && IsAccessTokenValid(_session))
                    {
                        Debug.Assert(ReferenceEquals(prepared.Auth, _session));
                        publish = prepared;
                    }

                    break;

                case RevalidationOutcome.Refreshed when result.Auth.IsAuthenticated:
                    // PrepareAsync always builds the (transformed) state for a refresh; never publish one without it.
                    publish = prepared is not null && ReferenceEquals(prepared.Auth, result.Auth)
                        ? prepared
                        : throw new UnreachableException("A refreshed session reached Apply without its prepared state.");
                    _session = result.Auth;
                    _retryNotBefore = null;
                    writeCookie = true;
                    LogRefreshed(_logger);
                    break;

                case RevalidationOutcome.Refreshed:
                case RevalidationOutcome.SignedOut:
                    _session = AuthResult.Anonymous;
                    _retryNotBefore = null;
                    publish = AuthKitAuthenticationState.Anonymous;
                    LogSignedOut(_logger, result.Reason);
                    break;

                case RevalidationOutcome.TransientFailure:
                    var retryAfter = result.RetryAfter is { } hint && hint > TimeSpan.Zero ? hint : RevalidationSchedule.DefaultRetryDelay;
                    _retryNotBefore = _timeProvider.GetUtcNow() + retryAfter;
                    if (result.AccessTokenStillValid)
                    {
                        LogTransientKept(_logger, retryAfter);
                    }
                    else if (_published.Auth.IsAuthenticated)
                    {
                        // The access token ran out while WorkOS stays unreachable: show signed out, but keep the
                        // session and keep retrying; a later success signs the circuit back in.
                        publish = AuthKitAuthenticationState.Anonymous;
                        LogTransientExpired(_logger, retryAfter);
                    }

                    break;
            }

            if (publish is not null)
            {
                _published = publish;
                _stateTask = publishedTask = Task.FromResult<AuthenticationState>(publish);
            }

            if (writeCookie)
            {
                _pendingCookieWrite = WriteCookieAsync();
            }
        }

        if (publishedTask is not null)
        {
            NotifyAuthenticationStateChanged(publishedTask);
        }
    }

    private async Task WriteCookieAsync()
    {
        await Task.Yield();
        try
        {
            await _cookieSync.TryStoreSessionAsync(_lifetimeToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Unreachable browser: the next HTTP request with the old cookie finds the successor in the relay.
            LogCookieWriteFailed(_logger, ex);
        }
    }

    private void AcceptHostState(AuthenticationState incoming)
    {
        Task<AuthenticationState>? publishedTask;
        lock (_gate)
        {
            publishedTask = MergeHostState(incoming);
        }

        if (publishedTask is not null)
        {
            NotifyAuthenticationStateChanged(publishedTask);
        }
    }

    private async Task<AuthenticationState> AcceptHostStateAsync(Task<AuthenticationState> incomingTask)
    {
        var incoming = await incomingTask.ConfigureAwait(false);
        lock (_gate)
        {
            MergeHostState(incoming);
            return _published;
        }
    }

    // Under _gate. Returns the new state task when the published state changed.
    private Task<AuthenticationState>? MergeHostState(AuthenticationState incoming)
    {
        var incomingAuth = incoming.GetAuthResult();
        if (_hasHostState)
        {
            if (!incomingAuth.IsAuthenticated && _session.IsAuthenticated)
            {
                return null;
            }

            if (incomingAuth.IsAuthenticated && _session.IsAuthenticated && !IsNewer(incomingAuth, _session))
            {
                return null;
            }
        }

        _hasHostState = true;
        _session = incomingAuth;
        _retryNotBefore = null;
        // Keep the host's principal (it may carry claims the app added); AuthKit's own result rides along.
        _published = incoming as AuthKitAuthenticationState ?? new AuthKitAuthenticationState(incoming.User, incomingAuth);
        return _stateTask = Task.FromResult<AuthenticationState>(_published);
    }

    // Whether candidate should replace current: another user or session, or a later access token of the same session.
    private static bool IsNewer(AuthResult candidate, AuthResult current)
    {
        if (!candidate.IsAuthenticated)
        {
            return false;
        }

        if (!current.IsAuthenticated)
        {
            return true;
        }

        if (candidate.User.Id != current.User.Id || candidate.SessionId != current.SessionId)
        {
            return true;
        }

        if (candidate.AccessToken == current.AccessToken)
        {
            return false;
        }

        return (candidate.AccessTokenExpiresAt ?? DateTimeOffset.MinValue) > (current.AccessTokenExpiresAt ?? DateTimeOffset.MinValue)
            || (candidate.OrganizationId != current.OrganizationId && candidate.AccessTokenExpiresAt >= current.AccessTokenExpiresAt);
    }

    private bool IsAccessTokenValid(AuthResult auth) =>
        auth.AccessTokenExpiresAt is { } expiresAt && expiresAt > _timeProvider.GetUtcNow();

    /// <summary>Stops revalidation; later results are ignored.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_lifetime.IsCancellationRequested)
            {
                return;
            }

            _lifetime.Cancel();
        }

        _lifetime.Dispose();
    }

    [LoggerMessage(EventId = 5600, Level = LogLevel.Debug, Message = "Circuit session refreshed; the authentication state now carries the new session.")]
    private static partial void LogRefreshed(ILogger logger);

    [LoggerMessage(EventId = 5601, Level = LogLevel.Information, Message = "Circuit session ended ({Reason}); the circuit is now anonymous.")]
    private static partial void LogSignedOut(ILogger logger, SignOutReason reason);

    [LoggerMessage(EventId = 5602, Level = LogLevel.Warning, Message = "Circuit session could not be refreshed (transient); the access token is still valid, retrying in {RetryAfter}.")]
    private static partial void LogTransientKept(ILogger logger, TimeSpan retryAfter);

    [LoggerMessage(EventId = 5603, Level = LogLevel.Warning, Message = "Circuit session could not be refreshed (transient) and its access token expired; showing signed out, retrying in {RetryAfter}.")]
    private static partial void LogTransientExpired(ILogger logger, TimeSpan retryAfter);

    [LoggerMessage(EventId = 5604, Level = LogLevel.Error, Message = "The session coordinator failed unexpectedly; treating it as a transient failure.")]
    private static partial void LogCoordinatorFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5605, Level = LogLevel.Debug, Message = "Could not ask the browser to store the refreshed session; the next request picks it up from the relay.")]
    private static partial void LogCookieWriteFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5606, Level = LogLevel.Error, Message = "The app's IClaimsTransformation failed for the circuit's new principal ({Outcome}); treating it as a transient failure (previous access token still valid: {PreviousStillValid}).")]
    private static partial void LogClaimsTransformationFailed(ILogger logger, RevalidationOutcome outcome, bool previousStillValid, Exception exception);
}
