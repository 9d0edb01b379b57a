using Microsoft.AspNetCore.Components.Server.Circuits;

namespace AuthKit.Blazor;

/// <summary>
/// Sets <see cref="CircuitServicesAccessor"/> to the circuit's services for every inbound activity (and restores it
/// afterwards), so services created outside the circuit's scope find the circuit's user.
/// </summary>
internal sealed class CircuitServicesAccessorHandler(IServiceProvider services, CircuitServicesAccessor accessor) : CircuitHandler
{
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            var previous = accessor.Services;
            accessor.Services = services;
            try
            {
                await next(context).ConfigureAwait(true);
            }
            finally
            {
                accessor.Services = previous;
            }
        };
}
