namespace AuthKit.Blazor;

/// <summary>
/// The services of the interactive circuit whose code is running (an async-local set by the circuit handler in
/// <c>CircuitHandler.CreateInboundActivityHandler</c>). Null outside a circuit (plain HTTP requests, background work).
/// Lets services created outside the circuit's scope (e.g. <c>IHttpClientFactory</c> handlers) find the circuit's
/// user per call, without <c>IHttpContextAccessor</c>.
/// </summary>
internal sealed class CircuitServicesAccessor
{
    private static readonly AsyncLocal<IServiceProvider?> Current = new();

    /// <summary>The current circuit's services, or null.</summary>
    public IServiceProvider? Services
    {
        get => Current.Value;
        set => Current.Value = value;
    }
}
