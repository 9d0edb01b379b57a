using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Logging;

namespace AuthKit.Blazor;

/// <summary>
/// Drives the circuit's <see cref="CircuitSessionRevalidator"/> through the circuit's lifecycle: starts it when the
/// circuit opens, revalidates immediately after a reconnection and before inbound activity when the access token has
/// expired, and stops it when the circuit closes. An app that registered its own provider keeps it; the handler then
/// does nothing (<see cref="CircuitServicesAccessorHandler"/> still exposes the circuit's services).
/// </summary>
internal sealed partial class AuthKitCircuitHandler : CircuitHandler, IDisposable
{
    private readonly CircuitSessionRevalidator? _revalidator;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private bool _connectionDown;

    public AuthKitCircuitHandler(AuthenticationStateProvider provider, ILogger<AuthKitCircuitHandler> logger)
    {
        _revalidator = (provider as AuthKitAuthenticationStateProvider)?.Revalidator;
        _logger = logger;
    }

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _revalidator?.Start();
        return Task.CompletedTask;
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _connectionDown = true;
        }

        _revalidator?.SetConnectionDown(true);
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

        _revalidator?.SetConnectionDown(false);

        if (reconnected)
        {
            // The browser was away for an unknown time: the session may have been refreshed by another tab, revoked or
            // signed out meanwhile. Check now, without holding up the reconnection.
            LogReconnected(_logger);
            _revalidator?.RevalidateInBackground();
        }

        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        _revalidator is not { } revalidator
            ? next
            : async context =>
            {
                // The timer was late: refresh before the event handler runs, so it sees a current user and can call
                // APIs with a valid token.
                await revalidator.RevalidateIfExpiredAsync().ConfigureAwait(true);
                await next(context).ConfigureAwait(true);
            };

    /// <summary>Stops the revalidator's timer; no background revalidation starts afterwards.</summary>
    public void Dispose() => _revalidator?.Stop();

    [LoggerMessage(EventId = 5621, Level = LogLevel.Debug, Message = "Circuit reconnected; checking its session now.")]
    private static partial void LogReconnected(ILogger logger);
}
