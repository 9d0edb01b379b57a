using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor;

/// <summary>
/// Keeps a circuit's session alive and current: revalidates on a <see cref="TimeProvider"/> timer (shortly before the
/// access token expires, and at least every <see cref="AuthKitBlazorOptions.RevalidationInterval"/>), before inbound
/// activity when the access token has expired, and immediately after a reconnection. Also makes the circuit's services
/// available to code running for it (<see cref="CircuitServicesAccessor"/>). Nothing on the timer path can fault the circuit.
/// </summary>
internal sealed partial class AuthKitCircuitHandler : CircuitHandler, IDisposable
{
    private readonly IServiceProvider _services;
    private readonly CircuitServicesAccessor _accessor;
    private readonly AuthKitAuthenticationStateProvider? _provider;
    private readonly TimeProvider _timeProvider;
    private readonly IOptions<AuthKitBlazorOptions> _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private bool _opened;
    private bool _disposed;
    private bool _connectionDown;
    private Task _lastRun = Task.CompletedTask;

    public AuthKitCircuitHandler(
        IServiceProvider services,
        CircuitServicesAccessor accessor,
        AuthenticationStateProvider provider,
        TimeProvider timeProvider,
        IOptions<AuthKitBlazorOptions> options,
        ILogger<AuthKitCircuitHandler> logger)
    {
        _services = services;
        _accessor = accessor;
        // An app that registered its own provider keeps it; the handler then only sets the services accessor.
        _provider = provider as AuthKitAuthenticationStateProvider;
        _timeProvider = timeProvider;
        _options = options;
        _logger = logger;
    }

    /// <summary>The latest revalidation started by this handler (for tests; never faults).</summary>
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

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (_provider is not null)
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return Task.CompletedTask;
                }

                _opened = true;
            }

            _provider.AuthenticationStateChanged += OnAuthenticationStateChanged;
            Schedule();
        }

        return Task.CompletedTask;
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _connectionDown = true;
        }

        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        bool reconnected;
        lock (_gate)
        {
            reconnected = _connectionDown;
            _connectionDown = false;
        }

        if (reconnected)
        {
            // The browser was away for an unknown time: the session may have been refreshed by another tab, revoked or
            // signed out meanwhile. Check now, without holding up the reconnection.
            LogReconnected(_logger);
            StartRun(force: false);
        }

        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            var previous = _accessor.Services;
            _accessor.Services = _services;
            try
            {
                if (_provider is not null && _provider.NeedsRevalidation(_timeProvider.GetUtcNow(), refreshWindow: false))
                {
                    // The timer was late (sleeping machine, suspended circuit): refresh before the event handler runs,
                    // so it sees a current user and can call APIs with a valid token.
                    await RunSafelyAsync(force: false).ConfigureAwait(true);
                }

                await next(context).ConfigureAwait(true);
            }
            finally
            {
                _accessor.Services = previous;
            }
        };

    /// <summary>Stops the timer; no revalidation starts afterwards.</summary>
    public void Dispose()
    {
        ITimer? timer;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            timer = _timer;
            _timer = null;
            ScheduledDelay = null;
        }

        timer?.Dispose();
        if (_provider is not null)
        {
            _provider.AuthenticationStateChanged -= OnAuthenticationStateChanged;
        }
    }

    private void OnAuthenticationStateChanged(Task<AuthenticationState> task) => Schedule();

    // (Re)arms the timer for the next revalidation of the provider's session.
    private void Schedule()
    {
        if (_provider is null)
        {
            return;
        }

        var options = _options.Value;
        var delay = RevalidationSchedule.NextDelay(
            _timeProvider.GetUtcNow(), _provider.Session, _provider.RetryNotBefore, options.RefreshBuffer, options.RevalidationInterval);

        lock (_gate)
        {
            if (_disposed || !_opened)
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
                    _timer = _timeProvider.CreateTimer(static state => ((AuthKitCircuitHandler)state!).OnTimer(), this, due, Timeout.InfiniteTimeSpan);
                }
            }
            else
            {
                _timer.Change(due, Timeout.InfiniteTimeSpan);
            }
        }

        LogScheduled(_logger, delay.Value);
    }

    private void OnTimer() => StartRun(force: false);

    private void StartRun(bool force)
    {
        lock (_gate)
        {
            if (_disposed || _provider is null)
            {
                return;
            }

            _lastRun = RunSafelyAsync(force);
        }
    }

    private async Task RunSafelyAsync(bool force)
    {
        try
        {
            var previous = _accessor.Services;
            _accessor.Services = _services;
            try
            {
                await _provider!.RevalidateAsync(force).ConfigureAwait(false);
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

    [LoggerMessage(EventId = 5620, Level = LogLevel.Trace, Message = "Next circuit session check in {Delay}.")]
    private static partial void LogScheduled(ILogger logger, TimeSpan delay);

    [LoggerMessage(EventId = 5621, Level = LogLevel.Debug, Message = "Circuit reconnected; checking its session now.")]
    private static partial void LogReconnected(ILogger logger);

    [LoggerMessage(EventId = 5622, Level = LogLevel.Error, Message = "Circuit session check failed unexpectedly; the circuit keeps running and will check again.")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);
}
