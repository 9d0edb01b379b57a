using Microsoft.Extensions.DependencyInjection;

namespace AuthKit.Blazor.Tests.Circuits;

public sealed class CircuitServicesAccessorHandlerTests : IDisposable
{
    private readonly ServiceProvider _circuitServices = new ServiceCollection().BuildServiceProvider();
    private readonly CircuitServicesAccessor _accessor = new();

    [Fact]
    public async Task Inbound_activity_sees_the_circuit_services_and_restores_the_accessor_afterwards()
    {
        var handler = new CircuitServicesAccessorHandler(_circuitServices, _accessor);
        IServiceProvider? seen = null;

        await handler.CreateInboundActivityHandler(_ =>
        {
            seen = _accessor.Services;
            return Task.CompletedTask;
        })(null!);

        Assert.Same(_circuitServices, seen);
        Assert.Null(_accessor.Services);
    }

    [Fact]
    public async Task A_failing_activity_still_restores_the_accessor()
    {
        var handler = new CircuitServicesAccessorHandler(_circuitServices, _accessor);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            handler.CreateInboundActivityHandler(_ => throw new InvalidOperationException("activity failed"))(null!));

        Assert.Null(_accessor.Services);
    }

    public void Dispose() => _circuitServices.Dispose();
}
