using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuthKit.Blazor.Tests.Circuits;

public sealed class AuthKitCircuitHandlerTests : IDisposable
{
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    private readonly ProviderHarness _harness;
    private readonly AuthKitCircuitHandler _handler;

    public AuthKitCircuitHandlerTests()
    {
        _harness = new ProviderHarness(new AuthKitBlazorOptions
        {
            RefreshBuffer = TimeSpan.FromSeconds(60),
            RevalidationInterval = TimeSpan.FromMinutes(30),
        });
        _handler = new AuthKitCircuitHandler(_harness.Provider, NullLogger<AuthKitCircuitHandler>.Instance);
    }

    private FakeSessionCoordinator Coordinator => _harness.Coordinator;

    [Fact]
    public async Task Opening_the_circuit_starts_the_revalidation_timer()
    {
        _harness.SignIn(FiveMinutes);
        Assert.Null(_harness.Revalidator.ScheduledDelay);

        await OpenAsync();
        _harness.Time.Advance(TimeSpan.FromMinutes(4));
        await _harness.Revalidator.LastRun;

        Assert.Single(Coordinator.RevalidateCalls);
    }

    [Fact]
    public async Task No_revalidation_runs_after_the_circuit_closes()
    {
        _harness.SignIn(FiveMinutes);
        await OpenAsync();

        await _handler.OnCircuitClosedAsync(null!, CancellationToken.None);
        _harness.Time.Advance(TimeSpan.FromHours(2));
        await _handler.OnConnectionDownAsync(null!, CancellationToken.None);
        await _handler.OnConnectionUpAsync(null!, CancellationToken.None);

        Assert.Empty(Coordinator.RevalidateCalls);
        Assert.Null(_harness.Revalidator.ScheduledDelay);
    }

    [Fact]
    public async Task Disposing_the_handler_with_the_circuit_scope_stops_the_timer()
    {
        _harness.SignIn(FiveMinutes);
        await OpenAsync();

        _handler.Dispose();
        _harness.Time.Advance(TimeSpan.FromHours(2));

        Assert.Empty(Coordinator.RevalidateCalls);
    }

    [Fact]
    public async Task A_reconnection_revalidates_immediately()
    {
        _harness.SignIn(FiveMinutes);
        await OpenAsync();

        await _handler.OnConnectionDownAsync(null!, CancellationToken.None);
        await _handler.OnConnectionUpAsync(null!, CancellationToken.None);
        await _harness.Revalidator.LastRun;

        Assert.Single(Coordinator.RevalidateCalls);
    }

    [Fact]
    public async Task The_first_connection_does_not_count_as_a_reconnection()
    {
        _harness.SignIn(FiveMinutes);
        await OpenAsync();

        await _handler.OnConnectionUpAsync(null!, CancellationToken.None);
        await _harness.Revalidator.LastRun;

        Assert.Empty(Coordinator.RevalidateCalls);
    }

    [Fact]
    public async Task Inbound_activity_with_an_expired_access_token_revalidates_before_the_activity_runs()
    {
        _harness.SignIn(FiveMinutes);
        await OpenAsync();
        _handler.Dispose(); // a late timer: the circuit sat idle (e.g. the machine slept)
        _harness.Time.Advance(TimeSpan.FromMinutes(6));
        var order = new List<string>();
        Coordinator.Enqueue(_ =>
        {
            order.Add("revalidate");
            return RevalidationResult.Refreshed(TestAuth.Create(_harness.Time.GetUtcNow(), FiveMinutes, tokenSuffix: "late"), "sealed");
        });
        var handler = new AuthKitCircuitHandler(_harness.Provider, NullLogger<AuthKitCircuitHandler>.Instance);

        var inbound = handler.CreateInboundActivityHandler(async _ =>
        {
            order.Add("activity");
            Assert.True((await _harness.CurrentAsync()).Auth.IsAuthenticated);
            Assert.Equal("late", (await _harness.CurrentAsync()).Auth.AccessToken!.Split('-')[^1]);
        });
        await inbound(null!);

        Assert.Equal(["revalidate", "activity"], order);
    }

    [Fact]
    public async Task Inbound_activity_with_a_valid_access_token_runs_without_revalidating()
    {
        _harness.SignIn(FiveMinutes);
        await OpenAsync();
        var ran = false;

        await _handler.CreateInboundActivityHandler(_ =>
        {
            ran = true;
            return Task.CompletedTask;
        })(null!);

        Assert.True(ran);
        Assert.Empty(Coordinator.RevalidateCalls);
    }

    [Fact]
    public async Task A_handler_for_a_foreign_provider_leaves_the_circuit_alone()
    {
        using var handler = new AuthKitCircuitHandler(new ForeignProvider(), NullLogger<AuthKitCircuitHandler>.Instance);
        await handler.OnCircuitOpenedAsync(null!, CancellationToken.None);
        var ran = false;

        await handler.CreateInboundActivityHandler(_ =>
        {
            ran = true;
            return Task.CompletedTask;
        })(null!);
        await handler.OnConnectionDownAsync(null!, CancellationToken.None);
        await handler.OnConnectionUpAsync(null!, CancellationToken.None);
        await handler.OnCircuitClosedAsync(null!, CancellationToken.None);

        Assert.True(ran);
    }

    private Task OpenAsync() => _handler.OnCircuitOpenedAsync(null!, CancellationToken.None);

    public void Dispose()
    {
        _handler.Dispose();
        _harness.Dispose();
    }

    private sealed class ForeignProvider : Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider
    {
        public override Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new Microsoft.AspNetCore.Components.Authorization.AuthenticationState(new System.Security.Claims.ClaimsPrincipal()));
    }
}
