using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection;
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
    public async Task The_timer_revalidates_when_the_access_token_enters_the_refresh_buffer()
    {
        _harness.SignIn(FiveMinutes);
        await OpenAsync();

        _harness.Time.Advance(TimeSpan.FromMinutes(4) - TimeSpan.FromSeconds(1));
        Assert.Empty(Coordinator.RevalidateCalls);

        _harness.Time.Advance(TimeSpan.FromSeconds(1));
        await _harness.Revalidator.LastRun;

        Assert.Single(Coordinator.RevalidateCalls);
    }

    [Fact]
    public async Task The_timer_revalidates_at_least_every_revalidation_interval()
    {
        var harness = new ProviderHarness(new AuthKitBlazorOptions { RevalidationInterval = TimeSpan.FromSeconds(30) });
        using var handler = new AuthKitCircuitHandler(harness.Provider, NullLogger<AuthKitCircuitHandler>.Instance);
        harness.SignIn(TimeSpan.FromHours(1));
        await handler.OnCircuitOpenedAsync(null!, CancellationToken.None);

        for (var i = 1; i <= 3; i++)
        {
            harness.Time.Advance(TimeSpan.FromSeconds(30));
            await harness.Revalidator.LastRun;
            Assert.Equal(i, harness.Coordinator.RevalidateCalls.Count);
        }
    }

    [Fact]
    public async Task After_a_refresh_the_timer_follows_the_new_access_token()
    {
        _harness.SignIn(FiveMinutes);
        await OpenAsync();
        Coordinator.Enqueue(_ => RevalidationResult.Refreshed(TestAuth.Create(_harness.Time.GetUtcNow(), FiveMinutes, tokenSuffix: "2"), "sealed"));

        _harness.Time.Advance(TimeSpan.FromMinutes(4));
        await _harness.Revalidator.LastRun;
        Assert.Equal(TimeSpan.FromMinutes(4), _harness.Revalidator.ScheduledDelay);

        _harness.Time.Advance(TimeSpan.FromMinutes(4) - TimeSpan.FromSeconds(1));
        Assert.Single(Coordinator.RevalidateCalls);
        _harness.Time.Advance(TimeSpan.FromSeconds(1));
        await _harness.Revalidator.LastRun;
        Assert.Equal(2, Coordinator.RevalidateCalls.Count);
    }

    [Fact]
    public async Task Access_tokens_shorter_than_the_buffer_are_refreshed_at_half_their_lifetime()
    {
        _harness.SignIn(TimeSpan.FromSeconds(10));
        await OpenAsync();

        Assert.Equal(TimeSpan.FromSeconds(5), _harness.Revalidator.ScheduledDelay);
        _harness.Time.Advance(TimeSpan.FromSeconds(5));
        await _harness.Revalidator.LastRun;

        Assert.Single(Coordinator.RevalidateCalls);
    }

    [Fact]
    public async Task A_transient_failure_is_retried_after_its_retry_delay()
    {
        _harness.SignIn(FiveMinutes);
        await OpenAsync();
        Coordinator.Enqueue(current => RevalidationResult.Transient(current, TimeSpan.FromSeconds(15), accessTokenStillValid: true, null));

        _harness.Time.Advance(TimeSpan.FromMinutes(4));
        await _harness.Revalidator.LastRun;
        Assert.Equal(TimeSpan.FromSeconds(15), _harness.Revalidator.ScheduledDelay);

        _harness.Time.Advance(TimeSpan.FromSeconds(15));
        await _harness.Revalidator.LastRun;

        Assert.Equal(2, Coordinator.RevalidateCalls.Count);
        Assert.True((await _harness.CurrentAsync()).Auth.IsAuthenticated);
    }

    [Fact]
    public async Task After_a_final_failure_the_timer_stops()
    {
        _harness.SignIn(FiveMinutes);
        await OpenAsync();
        Coordinator.Enqueue(_ => RevalidationResult.SignedOut(SignOutReason.Revoked));

        _harness.Time.Advance(TimeSpan.FromMinutes(4));
        await _harness.Revalidator.LastRun;
        _harness.Time.Advance(TimeSpan.FromHours(2));

        Assert.Single(Coordinator.RevalidateCalls);
        Assert.Null(_harness.Revalidator.ScheduledDelay);
        Assert.False((await _harness.CurrentAsync()).Auth.IsAuthenticated);
    }

    [Fact]
    public async Task An_anonymous_circuit_arms_no_timer()
    {
        _harness.Provider.SetAuthenticationState(Task.FromResult(
            new Microsoft.AspNetCore.Components.Authorization.AuthenticationState(new System.Security.Claims.ClaimsPrincipal())));
        await OpenAsync();

        _harness.Time.Advance(TimeSpan.FromHours(2));

        Assert.Null(_harness.Revalidator.ScheduledDelay);
        Assert.Empty(Coordinator.RevalidateCalls);
    }

    [Fact]
    public async Task A_host_sign_in_after_sign_out_rearms_the_timer()
    {
        _harness.SignIn(FiveMinutes);
        await OpenAsync();
        Coordinator.Enqueue(_ => RevalidationResult.SignedOut(SignOutReason.EndedElsewhere));
        _harness.Time.Advance(TimeSpan.FromMinutes(4));
        await _harness.Revalidator.LastRun;

        _harness.SignIn(FiveMinutes);

        Assert.Equal(TimeSpan.FromMinutes(4), _harness.Revalidator.ScheduledDelay);
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
    public async Task A_failing_revalidation_on_the_timer_path_neither_throws_nor_stops_the_timer()
    {
        _harness.SignIn(FiveMinutes);
        await OpenAsync();
        Coordinator.Enqueue(_ => Task.FromException<RevalidationResult>(new InvalidOperationException("coordinator bug")));

        _harness.Time.Advance(TimeSpan.FromMinutes(4));
        await _harness.Revalidator.LastRun;

        Assert.True((await _harness.CurrentAsync()).Auth.IsAuthenticated);
        Assert.Equal(RevalidationSchedule.DefaultRetryDelay, _harness.Revalidator.ScheduledDelay);
        _harness.Time.Advance(RevalidationSchedule.DefaultRetryDelay);
        await _harness.Revalidator.LastRun;
        Assert.Equal(2, Coordinator.RevalidateCalls.Count);
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

    [Fact]
    public async Task Revalidations_started_by_the_timer_see_the_circuit_services()
    {
        _harness.SignIn(FiveMinutes);
        await OpenAsync();
        IServiceProvider? seen = null;
        Coordinator.Enqueue(current =>
        {
            seen = _harness.Accessor.Services;
            return RevalidationResult.Unchanged(current);
        });

        _harness.Time.Advance(TimeSpan.FromMinutes(4));
        await _harness.Revalidator.LastRun;

        Assert.Same(_harness.CircuitServices, seen);
        Assert.Null(_harness.Accessor.Services);
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
