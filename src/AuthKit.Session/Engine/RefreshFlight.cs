using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Session;

/// <summary>
/// The one refresh single-flight (as Duende's <c>UserTokenRequestSynchronization</c>): per (refresh token, organization)
/// one run at a time, shared by every caller in this process (the resolver for HTTP requests and circuits, and the npm
/// package's API on <see cref="AuthKitCore"/>). A run goes: the rotation relay first (never spend a token someone already
/// rotated), then the store's refresh lease (one server at a time), then WorkOS with one retry after a 429, then seal,
/// then record the successor in the relay, all before the lease is released. A success or a final rejection is shared
/// for <see cref="AuthKitCoreOptions.RefreshResultGracePeriod"/> after it finished; a transient failure is not.
/// </summary>
internal sealed partial class RefreshFlight
{
    private const int MaxRelayHops = 3;
    private const int SharedRelayRechecks = 5;
    private static readonly TimeSpan SharedRelayRecheckDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MinRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Flight> _flights = new(StringComparer.Ordinal);
    private readonly IWorkOSUserManagement _workOS;
    private readonly ISessionEncryption _encryption;
    private readonly IOptions<AuthKitOptions> _options;
    private readonly SessionRelay _relay;
    private readonly IOptions<SessionEngineOptions> _engine;
    private readonly AuthKitCoreOptions _core;
    private readonly VerifiedSessionCache _cache;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public RefreshFlight(
        IWorkOSUserManagement workOS,
        ISessionEncryption encryption,
        IOptions<AuthKitOptions> options,
        SessionRelay relay,
        IOptions<SessionEngineOptions> engine,
        AuthKitCoreOptions core,
        VerifiedSessionCache cache,
        TimeProvider time,
        ILogger logger)
    {
        _workOS = workOS;
        _encryption = encryption;
        _options = options;
        _relay = relay;
        _engine = engine;
        _core = core;
        _cache = cache;
        _time = time;
        _logger = logger;
    }

    /// <summary>The relay the flight reads first and records into.</summary>
    public SessionRelay Relay => _relay;

    /// <summary>The engine settings the flight runs with (refresh window, lease).</summary>
    public IOptions<SessionEngineOptions> EngineOptions => _engine;

    /// <summary>
    /// Runs (or joins) the flight for <paramref name="session"/>'s refresh token and <paramref name="organizationId"/>
    /// (null: keep the token's). <paramref name="relayChecked"/>: the caller has just read the relay for this refresh token
    /// and found nothing, so a flight it starts goes straight to the lease (a successor recorded in between is still found:
    /// WorkOS rejects the spent token and the flight looks again before giving up).
    /// </summary>
    public Task<RefreshOutcome> RunAsync(Session session, string? organizationId, CancellationToken cancellationToken = default, bool relayChecked = false) =>
        RunAsync(session, organizationId, depth: 0, relayChecked, cancellationToken);

    /// <summary>Flights running or sharing a finished result (for tests).</summary>
    internal int Count => _flights.Count;

    private async Task<RefreshOutcome> RunAsync(Session session, string? organizationId, int depth, bool relayChecked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var key = SessionRelay.LeaseKeyFor(session.RefreshToken, organizationId);
        while (true)
        {
            if (_flights.TryGetValue(key, out var running))
            {
                LogJoined(_logger);
                var joined = await running.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                return joined with { IsOwner = false };
            }

            if (_flights.Count >= _core.MaxRefreshEntries)
            {
                SweepFinished();
            }

            var flight = new Flight();
            if (_flights.TryAdd(key, flight))
            {
                // The flight runs to completion even if this caller goes away: others may be waiting on it.
                _ = FlyAsync(session, organizationId, depth, relayChecked, key, flight);
                return await flight.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task FlyAsync(Session session, string? organizationId, int depth, bool relayChecked, string key, Flight flight)
    {
        RefreshOutcome outcome;
        try
        {
            await Task.Yield(); // never run the WorkOS call inline in the first caller's frame
            outcome = await FlyCoreAsync(session, organizationId, depth, relayChecked, key).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            outcome = RefreshOutcome.Failed(Wrap(ex, session), isFinal: false, retryAfter: null);
        }

        // Forget (or schedule forgetting) before completing, so a caller that awaited this flight and retries never
        // rejoins a finished transient failure.
        Forget(key, flight, keepForGracePeriod: outcome.Session is not null || outcome.IsFinal);
        flight.Source.TrySetResult(outcome);
    }

    private async Task<RefreshOutcome> FlyCoreAsync(Session session, string? organizationId, int depth, bool relayChecked, string leaseKey)
    {
        if (!relayChecked && await TryRelayAsync(session, organizationId, depth).ConfigureAwait(false) is { } fromRelay)
        {
            return fromRelay;
        }

        // With a shared store only one server spends this refresh token; the others wait for its successor (pushed by
        // the store, or found by polling the relay) for at most the lease's lifetime.
        var leaseDuration = _engine.Value.RefreshLeaseDuration;
        var lease = await _relay.Store.TryAcquireRefreshLeaseAsync(leaseKey, leaseDuration).ConfigureAwait(false);
        if (lease is null)
        {
            if (await WaitForSuccessorAsync(session, organizationId, depth).ConfigureAwait(false) is { } successor)
            {
                return successor;
            }

            lease = await _relay.Store.TryAcquireRefreshLeaseAsync(leaseKey, leaseDuration).ConfigureAwait(false);
            LogLeaseWaitExpired(_logger, lease is not null);
        }

        using var renewal = new CancellationTokenSource();
        var renewing = lease is null ? Task.CompletedTask : RenewWhileRunningAsync(lease, renewal.Token);
        try
        {
            return await RefreshAtWorkOSAsync(session, organizationId, depth).ConfigureAwait(false);
        }
        finally
        {
            await renewal.CancelAsync().ConfigureAwait(false);
            await renewing.ConfigureAwait(false);
            if (lease is not null)
            {
                await _relay.Store.ReleaseRefreshLeaseAsync(lease).ConfigureAwait(false);
            }
        }
    }

    /// <summary>WorkOS (one retry after a 429), then seal, then record the successor: all before the lease is released.</summary>
    private async Task<RefreshOutcome> RefreshAtWorkOSAsync(Session session, string? organizationId, int depth)
    {
        var claims = SessionResolver.TryReadClaims(session.AccessToken);
        var organization = organizationId ?? claims?.OrganizationId; // explicit, else the token's (as the npm package)
        LogRefreshing(_logger, organization is not null);
        Session next;
        try
        {
            next = await RefreshWithRetryAsync(session, organization).ConfigureAwait(false);
        }
        catch (Exception raw)
        {
            var ex = Wrap(raw, session);
            if (ex.IsFinal)
            {
                // Someone (another server, a flight that just ended) may have rotated this token meanwhile. With a shared
                // store another server may still be writing its successor: look again a few times before giving up.
                var attempts = _relay.IsShared ? SharedRelayRechecks : 1;
                for (var attempt = 0; attempt < attempts; attempt++)
                {
                    if (attempt > 0)
                    {
                        await Task.Delay(SharedRelayRecheckDelay, _time).ConfigureAwait(false);
                    }

                    if (await TryRelayAsync(session, organizationId, depth).ConfigureAwait(false) is { } late)
                    {
                        return late;
                    }
                }
            }

            LogRefreshFailed(_logger, session.User?.Id, claims?.SessionId, ex.IsFinal, ex.InnerException?.GetType().Name);
            return RefreshOutcome.Failed(ex, ex.IsFinal, RetryAfterOf(ex));
        }

        var sealedNext = _encryption.SealSession(next, Password);
        await _relay.RecordRotationAsync(session.RefreshToken, next.RefreshToken, sealedNext).ConfigureAwait(false);
        if (claims?.SessionId is { } sessionId)
        {
            _cache.RemoveSession(sessionId); // the old cookies of this session must not be served from the cache again
        }

        LogRefreshed(_logger, session.User?.Id, claims?.SessionId);
        return RefreshOutcome.Succeeded(next, sealedNext, calledWorkOS: true);
    }

    private async Task<Session> RefreshWithRetryAsync(Session session, string? organizationId)
    {
        try
        {
            return await AttemptAsync(session, organizationId).ConfigureAwait(false);
        }
        catch (WorkOSRateLimitException rateLimited)
        {
            var delay = rateLimited.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero
                ? TimeSpan.FromTicks(Math.Clamp(retryAfter.Ticks, MinRetryDelay.Ticks, MaxRetryDelay.Ticks))
                : MinRetryDelay;
            LogRateLimited(_logger, delay.TotalSeconds);
            await Task.Delay(delay, _time).ConfigureAwait(false);
            try
            {
                return await AttemptAsync(session, organizationId).ConfigureAwait(false);
            }
            catch (Exception retryError)
            {
                throw new TokenRefreshException("Failed to refresh the session after a rate-limit retry.", session.User?.Id, SessionIdOf(session), retryError);
            }
        }
    }

    private async Task<Session> AttemptAsync(Session session, string? organizationId)
    {
        var response = await _workOS.AuthenticateWithRefreshTokenAsync(session.RefreshToken, organizationId, CancellationToken.None).ConfigureAwait(false);
        return new Session
        {
            AccessToken = response.AccessToken,
            RefreshToken = response.RefreshToken,
            User = response.User,
            Impersonator = response.Impersonator,
        };
    }

    /// <summary>
    /// The newest session for this refresh token from the relay, if it fits: in the requested organization and outside
    /// the refresh window. A newest session that must itself be refreshed (or moved) continues from it, in its own flight.
    /// </summary>
    private async Task<RefreshOutcome?> TryRelayAsync(Session session, string? organizationId, int depth)
    {
        var hit = await _relay.FindNewestAsync(session.RefreshToken).ConfigureAwait(false);
        if (hit is null)
        {
            return null;
        }

        var next = TryUnseal(hit.SealedSession);
        var claims = next is null ? null : SessionResolver.TryReadClaims(next.AccessToken);
        if (next is null || claims is null)
        {
            LogSuccessorRejected(_logger);
            return null;
        }

        var inOrganization = organizationId is null || string.Equals(claims.OrganizationId, organizationId, StringComparison.Ordinal);
        if (inOrganization && !IsExpiring(claims))
        {
            return RefreshOutcome.Succeeded(next, hit.SealedSession, calledWorkOS: false);
        }

        if (depth >= MaxRelayHops)
        {
            return RefreshOutcome.Failed(new TokenRefreshException("The session rotated too many times at once; try again.", next.User.Id, claims.SessionId), isFinal: false, retryAfter: TimeSpan.FromSeconds(1));
        }

        return await RunAsync(next, organizationId, depth + 1, relayChecked: false, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Another holder has the lease: wait for its successor (notified by the store, else polled) up to the lease's lifetime.</summary>
    private async Task<RefreshOutcome?> WaitForSuccessorAsync(Session session, string? organizationId, int depth)
    {
        var relayKey = SessionRelay.KeyForRefreshToken(session.RefreshToken);
        var rotated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = _relay.Store.Subscribe(n =>
        {
            if (n.Kind == SessionStoreNotificationKind.Rotated && string.Equals(n.Key, relayKey, StringComparison.Ordinal))
            {
                rotated.TrySetResult();
            }
        });

        var deadline = _time.GetUtcNow() + _engine.Value.RefreshLeaseDuration;
        while (true)
        {
            if (await TryRelayAsync(session, organizationId, depth).ConfigureAwait(false) is { } found)
            {
                return found;
            }

            var remaining = deadline - _time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                return null;
            }

            var poll = remaining < SharedRelayRecheckDelay ? remaining : SharedRelayRecheckDelay;
            await Task.WhenAny(rotated.Task, Task.Delay(poll, _time)).ConfigureAwait(false);
        }
    }

    private async Task RenewWhileRunningAsync(SessionRefreshLease lease, CancellationToken cancellationToken)
    {
        var duration = _engine.Value.RefreshLeaseDuration;
        try
        {
            while (true)
            {
                await Task.Delay(duration / 3, _time, cancellationToken).ConfigureAwait(false);
                if (!await _relay.Store.RenewRefreshLeaseAsync(lease, duration, cancellationToken).ConfigureAwait(false))
                {
                    LogLeaseLost(_logger);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The refresh finished.
        }
    }

    private void Forget(string key, Flight flight, bool keepForGracePeriod)
    {
        var grace = _core.RefreshResultGracePeriod;
        if (!keepForGracePeriod || grace <= TimeSpan.Zero)
        {
            _flights.TryRemove(KeyValuePair.Create(key, flight));
            return;
        }

        flight.Timer = _time.CreateTimer(
            static state =>
            {
                var (self, key, flight) = ((RefreshFlight, string, Flight))state!;
                self._flights.TryRemove(KeyValuePair.Create(key, flight));
                flight.Timer?.Dispose();
            },
            (this, key, flight),
            grace,
            Timeout.InfiniteTimeSpan);
    }

    private void SweepFinished()
    {
        foreach (var (key, flight) in _flights)
        {
            if (flight.Task.IsCompleted && _flights.TryRemove(KeyValuePair.Create(key, flight)))
            {
                flight.Timer?.Dispose();
            }
        }
    }

    private bool IsExpiring(AccessTokenClaims claims) => RefreshWindow.IsDue(claims, _time.GetUtcNow(), _engine.Value.RefreshBuffer);

    private string Password => _options.Value.CookiePassword is { Length: > 0 } password
        ? password
        : throw new InvalidOperationException("AuthKit is not configured: set AuthKit:CookiePassword (environment variable WORKOS_COOKIE_PASSWORD).");

    private Session? TryUnseal(string sealedSession) => _encryption.TryUnsealSession(sealedSession, Password);

    private static string? SessionIdOf(Session session) => SessionResolver.TryReadClaims(session.AccessToken)?.SessionId;

    private static TokenRefreshException Wrap(Exception ex, Session session) =>
        ex as TokenRefreshException ?? new TokenRefreshException("Failed to refresh the session.", session.User?.Id, SessionIdOf(session), ex);

    private static TimeSpan? RetryAfterOf(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is WorkOSRateLimitException { RetryAfter: { } retryAfter })
            {
                return retryAfter;
            }
        }

        return null;
    }

    private sealed class Flight
    {
        public TaskCompletionSource<RefreshOutcome> Source { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<RefreshOutcome> Task => Source.Task;

        public ITimer? Timer { get; set; }
    }

    [LoggerMessage(EventId = 3306, Level = LogLevel.Debug, Message = "Refreshing session tokens at WorkOS (organization scoped: {OrganizationScoped}).")]
    private static partial void LogRefreshing(ILogger logger, bool organizationScoped);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Debug, Message = "Joined an in-flight refresh of the same session.")]
    private static partial void LogJoined(ILogger logger);

    [LoggerMessage(EventId = 3303, Level = LogLevel.Information, Message = "Refreshed session {SessionId} of user {UserId}.")]
    private static partial void LogRefreshed(ILogger logger, string? userId, string? sessionId);

    [LoggerMessage(EventId = 3304, Level = LogLevel.Warning, Message = "Refreshing session {SessionId} of user {UserId} failed (final: {IsFinal}, cause: {Cause}).")]
    private static partial void LogRefreshFailed(ILogger logger, string? userId, string? sessionId, bool isFinal, string? cause);

    [LoggerMessage(EventId = 3305, Level = LogLevel.Warning, Message = "WorkOS rate-limited a refresh; retrying once in {DelaySeconds:0.#} s.")]
    private static partial void LogRateLimited(ILogger logger, double delaySeconds);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "A rotated AuthKit session could not be read back; ignoring it.")]
    private static partial void LogSuccessorRejected(ILogger logger);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Debug, Message = "AuthKit refresh lease held elsewhere and no successor arrived within the lease (took it over: {TookOver}).")]
    private static partial void LogLeaseWaitExpired(ILogger logger, bool tookOver);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Warning, Message = "AuthKit refresh lease lapsed during a slow WorkOS call; another server may refresh too.")]
    private static partial void LogLeaseLost(ILogger logger);
}
