using AuthKit.Session;
using Microsoft.AspNetCore.Components.Authorization;
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
/// </summary>
public sealed partial class AuthKitAuthenticationStateProvider : AuthenticationStateProvider, IHostEnvironmentAuthenticationStateProvider, ICircuitAuthSource, IDisposable
{
    private readonly IAuthKitSessionCoordinator _coordinator;
    private readonly SessionCookieSync _cookieSync;
    private readonly TimeProvider _timeProvider;
    private readonly IOptions<AuthKitBlazorOptions> _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lifetime = new();
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
        TimeProvider timeProvider,
        IOptions<AuthKitBlazorOptions> options,
        ILogger<AuthKitAuthenticationStateProvider> logger)
    {
        _coordinator = coordinator;
        _cookieSync = cookieSync;
        _timeProvider = timeProvider;
        _options = options;
        _logger = logger;
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
    /// (not a member, WorkOS unavailable, signed out); a final failure also signs the circuit out.
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

        Apply(session, result);
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
            try
            {
                result = await _coordinator.RevalidateAsync(session, force, _lifetime.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
            {
                return RevalidationResult.Unchanged(session);
            }
            catch (Exception ex)
            {
                // The coordinator reports expected failures as values; anything else is treated as transient.
                LogCoordinatorFailed(_logger, ex);
                var stillValid = session.AccessTokenExpiresAt is { } exp && exp > _timeProvider.GetUtcNow();
                result = RevalidationResult.Transient(session, RevalidationSchedule.DefaultRetryDelay, stillValid, ex);
            }

            Apply(session, result);
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

    private void Apply(AuthResult basis, RevalidationResult result)
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
                    if (!_published.Auth.IsAuthenticated && _session.IsAuthenticated && IsAccessTokenValid(_session))
                    {
                        publish = new AuthKitAuthenticationState(_session);
                    }

                    break;

                case RevalidationOutcome.Refreshed when result.Auth.IsAuthenticated:
                    _session = result.Auth;
                    _retryNotBefore = null;
                    publish = new AuthKitAuthenticationState(result.Auth);
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
            await _cookieSync.TryStoreSessionAsync(_lifetime.Token).ConfigureAwait(false);
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
}
