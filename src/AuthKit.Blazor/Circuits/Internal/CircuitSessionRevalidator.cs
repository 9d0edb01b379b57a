using System.Diagnostics;
using AuthKit.Session;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor;

/// <summary>
/// Keeps a circuit's session current: asks the session coordinator on a <see cref="TimeProvider"/> timer (shortly
/// before the access token expires, and at least every <see cref="AuthKitBlazorOptions.RevalidationInterval"/>), when
/// the circuit handler reports inbound activity after expiry or a reconnection, and when an access token is asked for
/// in the refresh window. Runs one revalidation at a time, backs off after transient failures, runs the app's
/// <see cref="IClaimsTransformation"/> on each new principal, and applies the outcome to the
/// <see cref="AuthKitAuthenticationStateProvider"/>. Never throws for WorkOS failures; nothing on the timer path can
/// fault the circuit.
/// </summary>
internal sealed partial class CircuitSessionRevalidator : IDisposable
{
    private readonly AuthKitAuthenticationStateProvider _state;
    private readonly IAuthKitSessionCoordinator _coordinator;
    private readonly SessionCookieSync _cookieSync;
    private readonly IServiceProvider _services;
    private readonly CircuitServicesAccessor _accessor;
    private readonly TimeProvider _timeProvider;
    private readonly IOptions<AuthKitBlazorOptions> _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lifetime = new();
    // Taken once: the source is disposed with the revalidator, its token stays readable (and cancelled).
    private readonly CancellationToken _lifetimeToken;
    private readonly Lazy<IClaimsTransformation?> _claimsTransformation;
    private readonly Lock _gate = new();

    private Task<RevalidationResult>? _inflight;
    // The back-off after a transient failure, for the session that failed (a replaced session has none).
    private (AuthResult Session, DateTimeOffset NotBefore)? _retry;
    private Task _pendingCookieWrite = Task.CompletedTask;
    private ITimer? _timer;
    private bool _started;
    private bool _stopped;
    private Task _lastRun = Task.CompletedTask;
    private IDisposable? _endedSubscription;
    private ITimer? _endedTimer;
    private bool _connectionDown;
    // The ended-session key of the kept session, computed once per session (a sign-out notification is compared to it).
    private (AuthResult Session, string Key)? _endedKey;

    /// <param name="state">The state this revalidator keeps current.</param>
    /// <param name="coordinator">Decides each revalidation (the same engine as HTTP requests).</param>
    /// <param name="cookieSync">Asks the browser to store a refreshed session.</param>
    /// <param name="services">The circuit's services: the app's claims transformation, and what the accessor exposes.</param>
    /// <param name="accessor">Set to <paramref name="services"/> while a background revalidation runs.</param>
    /// <param name="timeProvider">The clock and timers.</param>
    /// <param name="options">Refresh buffer and revalidation interval.</param>
    /// <param name="logger">Logs events 5600–5606, 5620 and 5622.</param>
    public CircuitSessionRevalidator(
        AuthKitAuthenticationStateProvider state,
        IAuthKitSessionCoordinator coordinator,
        SessionCookieSync cookieSync,
        IServiceProvider services,
        CircuitServicesAccessor accessor,
        TimeProvider timeProvider,
        IOptions<AuthKitBlazorOptions> options,
        ILogger<CircuitSessionRevalidator> logger)
    {
        _state = state;
        _coordinator = coordinator;
        _cookieSync = cookieSync;
        _services = services;
        _accessor = accessor;
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

    /// <summary>Earliest time of the next attempt after a transient failure of the kept session, or null.</summary>
    internal DateTimeOffset? RetryNotBefore
    {
        get
        {
            var session = _state.Session;
            lock (_gate)
            {
                return _retry is { } retry && ReferenceEquals(retry.Session, session) ? retry.NotBefore : null;
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

    /// <summary>The latest background revalidation (timer or reconnection; for tests; never faults).</summary>
    internal Task LastRun
    {
        get
        {
            lock (_gate)
            {
                return _lastRun;
            }
        }
    }

    /// <summary>The delay the timer is currently armed with, or null when it is not armed (for tests and diagnostics).</summary>
    internal TimeSpan? ScheduledDelay { get; private set; }

    /// <summary>Arms the timer and follows every state change (the circuit opened). Not after <see cref="Stop"/>.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            _started = true;
        }

        _state.AuthenticationStateChanged += OnAuthenticationStateChanged;
        // A sign-out recorded anywhere (another tab, another server through a shared store's push) revalidates now,
        // instead of at the next timer tick.
        _endedSubscription = _services.GetService<ISessionStore>()?.Subscribe(OnStoreNotification);
        if (_state.Session.IsAuthenticated)
        {
            // So that this tab's own sign-out is told apart from one elsewhere (see FlipAfterSignOutAsync). Best effort.
            _ = _cookieSync.TryWatchSignOutAsync(_lifetimeToken);
        }

        Schedule();
    }

    private void OnStoreNotification(SessionStoreNotification notification)
    {
        if (notification.Kind != SessionStoreNotificationKind.Ended)
        {
            return;
        }

        var session = _state.Session;
        if (!session.IsAuthenticated)
        {
            return;
        }

        var cached = _endedKey;
        var key = cached is { } known && ReferenceEquals(known.Session, session) ? known.Key : SessionRelay.KeyForSessionId(session.SessionId);
        _endedKey = (session, key);
        if (!string.Equals(key, notification.Key, StringComparison.Ordinal))
        {
            return;
        }

        _ = FlipAfterSignOutAsync();
    }

    /// <summary>
    /// The kept session was signed out (here or on another server): revalidate now, so the circuit flips to signed out
    /// within moments. Except the tab that posted the sign-out form: it is following the sign-out redirects to the
    /// signed-out page, and flipping its circuit now would send it to sign-in midway (and skip WorkOS's logout); it is
    /// revalidated only if it is still connected after <see cref="SigningOutGrace"/>. A circuit whose connection is down
    /// is revalidated when it reconnects. Never throws.
    /// </summary>
    private async Task FlipAfterSignOutAsync()
    {
        if (Volatile.Read(ref _connectionDown))
        {
            return;
        }

        bool signingOut;
        try
        {
            signingOut = await _cookieSync.IsSigningOutAsync(SigningOutWindow, _lifetimeToken).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        if (!signingOut)
        {
            RevalidateInBackground();
            return;
        }

        ITimer? previous;
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            previous = _endedTimer;
            _endedTimer = _timeProvider.CreateTimer(
                static state =>
                {
                    var self = (CircuitSessionRevalidator)state!;
                    if (!Volatile.Read(ref self._connectionDown))
                    {
                        self.RevalidateInBackground();
                    }
                },
                this,
                SigningOutGrace,
                Timeout.InfiniteTimeSpan);
        }

        previous?.Dispose();
    }

    /// <summary>How recent a sign-out form submission in the tab must be for its circuit to wait (<see cref="SigningOutGrace"/>).</summary>
    internal static readonly TimeSpan SigningOutWindow = TimeSpan.FromSeconds(10);

    /// <summary>How long the circuit of a tab that posted the sign-out waits before it is revalidated anyway (the navigation did not happen).</summary>
    internal static readonly TimeSpan SigningOutGrace = TimeSpan.FromSeconds(5);

    /// <summary>The circuit's connection went down (true) or came back (false); set by the circuit handler.</summary>
    internal void SetConnectionDown(bool down) => Volatile.Write(ref _connectionDown, down);

    /// <summary>Revalidates now in the background (the circuit reconnected). Not after <see cref="Stop"/>.</summary>
    public void RevalidateInBackground()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            _lastRun = RunSafelyAsync(force: false);
        }
    }

    /// <summary>
    /// Revalidates first when the access token has expired (the timer was late: sleeping machine, suspended circuit), so
    /// inbound activity sees a current user. Never throws.
    /// </summary>
    public Task RevalidateIfExpiredAsync() =>
        NeedsRevalidation(_timeProvider.GetUtcNow(), refreshWindow: false) ? RunSafelyAsync(force: false) : Task.CompletedTask;

    /// <summary>Revalidates first when the access token is in its refresh window (an access token is asked for).</summary>
    public async Task RevalidateIfDueAsync(CancellationToken cancellationToken)
    {
        if (NeedsRevalidation(_timeProvider.GetUtcNow(), refreshWindow: true))
        {
            await RevalidateAsync(force: false, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the timer; no background revalidation starts afterwards (the circuit closed).</summary>
    public void Stop()
    {
        ITimer? timer;
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            timer = _timer;
            _timer = null;
            ScheduledDelay = null;
        }

        timer?.Dispose();
        _endedSubscription?.Dispose();
        ITimer? endedTimer;
        lock (_gate)
        {
            endedTimer = _endedTimer;
            _endedTimer = null;
        }

        endedTimer?.Dispose();
        _state.AuthenticationStateChanged -= OnAuthenticationStateChanged;
    }

    /// <summary>
    /// Whether the kept session needs a check now: its access token has expired (or, with
    /// <paramref name="refreshWindow"/>, entered the refresh window), and no transient-failure back-off is running.
    /// </summary>
    internal bool NeedsRevalidation(DateTimeOffset now, bool refreshWindow)
    {
        var session = _state.Session;
        if (!session.IsAuthenticated || session.AccessTokenExpiresAt is not { } expiresAt)
        {
            return false;
        }

        if (RetryNotBefore is { } retry && now < retry)
        {
            return false;
        }

        var window = refreshWindow ? RevalidationSchedule.EffectiveBuffer(session, _options.Value.RefreshBuffer) : TimeSpan.Zero;
        return expiresAt - window <= now;
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

    /// <summary>See <see cref="AuthKitAuthenticationStateProvider.SwitchOrganizationAsync"/>.</summary>
    internal async Task<bool> SwitchOrganizationAsync(string organizationId, CancellationToken cancellationToken)
    {
        var session = _state.Session;
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

    private async Task<RevalidationResult> RunRevalidationAsync(bool force)
    {
        // Leave the caller's synchronization context and the lock before calling out.
        await Task.Yield();
        var session = _state.Session;
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
    /// Builds the state <paramref name="result"/> would publish for an authenticated session (a refresh, or signing back
    /// in after an outage), running the app's claims transformation on it. A transformation that throws turns the result
    /// into a transient failure of <paramref name="basis"/>, so the previous state is kept while its access token is
    /// valid and the change is retried (the successor waits in the relay).
    /// </summary>
    private async Task<(RevalidationResult Result, AuthKitAuthenticationState? Prepared)> PrepareAsync(
        AuthResult basis, RevalidationResult result, CancellationToken cancellationToken)
    {
        var publish = result.Outcome switch
        {
            RevalidationOutcome.Refreshed when result.Auth.IsAuthenticated => result.Auth,
            RevalidationOutcome.Unchanged when !_state.Current.Auth.IsAuthenticated && basis.IsAuthenticated && IsAccessTokenValid(basis) => basis,
            _ => null,
        };

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
        new(await AuthKitTransformedPrincipal.CreateAsync(auth, _claimsTransformation.Value, cancellationToken).ConfigureAwait(false), auth);

    // Applies the outcome of revalidating basis. The provider ignores it when the host replaced the session meanwhile
    // (reconnection), except a refresh newer than the replacement.
    private void Apply(AuthResult basis, RevalidationResult result, AuthKitAuthenticationState? prepared)
    {
        if (_lifetimeToken.IsCancellationRequested)
        {
            return;
        }

        switch (result.Outcome)
        {
            case RevalidationOutcome.Unchanged:
                if (!ReferenceEquals(_state.Session, basis))
                {
                    return;
                }

                ClearRetry(basis);
                // Back from an outage: sign in again with the state PrepareAsync built (null if it did not expect this).
                if (prepared is not null && basis.IsAuthenticated && IsAccessTokenValid(basis))
                {
                    Debug.Assert(ReferenceEquals(prepared.Auth, basis));
                    _state.TryPublishKept(basis, prepared);
                }

                break;

            case RevalidationOutcome.Refreshed when result.Auth.IsAuthenticated:
                // PrepareAsync always builds the (transformed) state for a refresh; never publish one without it.
                var successor = prepared is not null && ReferenceEquals(prepared.Auth, result.Auth)
                    ? prepared
                    : throw new UnreachableException("A refreshed session reached Apply without its prepared state.");
                if (_state.TryReplaceSession(basis, successor))
                {
                    ClearRetry(basis);
                    LogRefreshed(_logger);
                    lock (_gate)
                    {
                        _pendingCookieWrite = WriteCookieAsync();
                    }
                }

                break;

            case RevalidationOutcome.Refreshed:
            case RevalidationOutcome.SignedOut:
                if (_state.TryEndSession(basis))
                {
                    ClearRetry(basis);
                    LogSignedOut(_logger, result.Reason);
                }

                break;

            case RevalidationOutcome.TransientFailure:
                if (!ReferenceEquals(_state.Session, basis))
                {
                    return;
                }

                var retryAfter = result.RetryAfter is { } hint && hint > TimeSpan.Zero ? hint : RevalidationSchedule.DefaultRetryDelay;
                lock (_gate)
                {
                    _retry = (basis, _timeProvider.GetUtcNow() + retryAfter);
                }

                if (result.AccessTokenStillValid)
                {
                    LogTransientKept(_logger, retryAfter);
                }
                else if (_state.TryPublishKept(basis, AuthKitAuthenticationState.Anonymous))
                {
                    // The access token ran out while WorkOS stays unreachable: show signed out, but keep the session
                    // and keep retrying; a later success signs the circuit back in.
                    LogTransientExpired(_logger, retryAfter);
                }

                break;
        }
    }

    private void ClearRetry(AuthResult basis)
    {
        lock (_gate)
        {
            if (_retry is { } retry && ReferenceEquals(retry.Session, basis))
            {
                _retry = null;
            }
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

    private bool IsAccessTokenValid(AuthResult auth) =>
        auth.AccessTokenExpiresAt is { } expiresAt && expiresAt > _timeProvider.GetUtcNow();

    private void OnAuthenticationStateChanged(Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState> task) => Schedule();

    // (Re)arms the timer for the next revalidation of the kept session.
    private void Schedule()
    {
        var options = _options.Value;
        var delay = RevalidationSchedule.NextDelay(
            _timeProvider.GetUtcNow(), _state.Session, RetryNotBefore, options.RefreshBuffer, options.RevalidationInterval);

        lock (_gate)
        {
            if (_stopped || !_started)
            {
                return;
            }

            ScheduledDelay = delay;
            if (delay is not { } due)
            {
                _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                return;
            }

            if (_timer is null)
            {
                // Don't capture the caller's execution context (async-locals of whatever event armed the timer).
                using (ExecutionContext.SuppressFlow())
                {
                    _timer = _timeProvider.CreateTimer(static state => ((CircuitSessionRevalidator)state!).RevalidateInBackground(), this, due, Timeout.InfiniteTimeSpan);
                }
            }
            else
            {
                _timer.Change(due, Timeout.InfiniteTimeSpan);
            }
        }

        LogScheduled(_logger, delay.Value);
    }

    private async Task RunSafelyAsync(bool force)
    {
        try
        {
            var previous = _accessor.Services;
            _accessor.Services = _services;
            try
            {
                await RevalidateAsync(force).ConfigureAwait(false);
            }
            finally
            {
                _accessor.Services = previous;
            }
        }
        catch (Exception ex)
        {
            // Never let a background failure tear down the circuit.
            LogRunFailed(_logger, ex);
        }

        try
        {
            Schedule();
        }
        catch (Exception ex)
        {
            LogRunFailed(_logger, ex);
        }
    }

    /// <summary>Stops revalidation; later results are ignored.</summary>
    public void Dispose()
    {
        Stop();
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

    [LoggerMessage(EventId = 5620, Level = LogLevel.Trace, Message = "Next circuit session check in {Delay}.")]
    private static partial void LogScheduled(ILogger logger, TimeSpan delay);

    [LoggerMessage(EventId = 5622, Level = LogLevel.Error, Message = "Circuit session check failed unexpectedly; the circuit keeps running and will check again.")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);
}
