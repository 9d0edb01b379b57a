using System.Security.Claims;
using AuthKit.Session;
using Microsoft.AspNetCore.Components.Authorization;

namespace AuthKit.Blazor.Tests.Circuits;

// The revalidation loop: when the timer fires, and what it does after each outcome.
public sealed partial class CircuitSessionRevalidatorTests
{
    [Fact]
    public async Task The_timer_revalidates_when_the_access_token_enters_the_refresh_buffer()
    {
        using var harness = TimerHarness();
        harness.SignIn(FiveMinutes);
        harness.Revalidator.Start();

        harness.Time.Advance(TimeSpan.FromMinutes(4) - TimeSpan.FromSeconds(1));
        Assert.Empty(harness.Coordinator.RevalidateCalls);

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await harness.Revalidator.LastRun;

        Assert.Single(harness.Coordinator.RevalidateCalls);
    }

    [Fact]
    public async Task The_timer_revalidates_at_least_every_revalidation_interval()
    {
        using var harness = new ProviderHarness(new AuthKitBlazorOptions { RevalidationInterval = TimeSpan.FromSeconds(30) });
        harness.SignIn(TimeSpan.FromHours(1));
        harness.Revalidator.Start();

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
        using var harness = TimerHarness();
        harness.SignIn(FiveMinutes);
        harness.Revalidator.Start();
        harness.Coordinator.Enqueue(_ => RevalidationResult.Refreshed(TestAuth.Create(harness.Time.GetUtcNow(), FiveMinutes, tokenSuffix: "2"), "sealed"));

        harness.Time.Advance(TimeSpan.FromMinutes(4));
        await harness.Revalidator.LastRun;
        Assert.Equal(TimeSpan.FromMinutes(4), harness.Revalidator.ScheduledDelay);

        harness.Time.Advance(TimeSpan.FromMinutes(4) - TimeSpan.FromSeconds(1));
        Assert.Single(harness.Coordinator.RevalidateCalls);
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await harness.Revalidator.LastRun;
        Assert.Equal(2, harness.Coordinator.RevalidateCalls.Count);
    }

    [Fact]
    public async Task Access_tokens_shorter_than_the_buffer_are_refreshed_at_half_their_lifetime()
    {
        using var harness = TimerHarness();
        harness.SignIn(TimeSpan.FromSeconds(10));
        harness.Revalidator.Start();

        Assert.Equal(TimeSpan.FromSeconds(5), harness.Revalidator.ScheduledDelay);
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        await harness.Revalidator.LastRun;

        Assert.Single(harness.Coordinator.RevalidateCalls);
    }

    [Fact]
    public async Task A_transient_failure_is_retried_after_its_retry_delay()
    {
        using var harness = TimerHarness();
        harness.SignIn(FiveMinutes);
        harness.Revalidator.Start();
        harness.Coordinator.Enqueue(current => RevalidationResult.Transient(current, TimeSpan.FromSeconds(15), accessTokenStillValid: true, null));

        harness.Time.Advance(TimeSpan.FromMinutes(4));
        await harness.Revalidator.LastRun;
        Assert.Equal(TimeSpan.FromSeconds(15), harness.Revalidator.ScheduledDelay);

        harness.Time.Advance(TimeSpan.FromSeconds(15));
        await harness.Revalidator.LastRun;

        Assert.Equal(2, harness.Coordinator.RevalidateCalls.Count);
        Assert.True((await harness.CurrentAsync()).Auth.IsAuthenticated);
    }

    [Fact]
    public async Task After_a_final_failure_the_timer_stops()
    {
        using var harness = TimerHarness();
        harness.SignIn(FiveMinutes);
        harness.Revalidator.Start();
        harness.Coordinator.Enqueue(_ => RevalidationResult.SignedOut(SignOutReason.Revoked));

        harness.Time.Advance(TimeSpan.FromMinutes(4));
        await harness.Revalidator.LastRun;
        harness.Time.Advance(TimeSpan.FromHours(2));

        Assert.Single(harness.Coordinator.RevalidateCalls);
        Assert.Null(harness.Revalidator.ScheduledDelay);
        Assert.False((await harness.CurrentAsync()).Auth.IsAuthenticated);
    }

    [Fact]
    public async Task An_anonymous_circuit_arms_no_timer()
    {
        using var harness = TimerHarness();
        harness.Provider.SetAuthenticationState(Task.FromResult(
            new Microsoft.AspNetCore.Components.Authorization.AuthenticationState(new System.Security.Claims.ClaimsPrincipal())));
        harness.Revalidator.Start();

        harness.Time.Advance(TimeSpan.FromHours(2));

        Assert.Null(harness.Revalidator.ScheduledDelay);
        Assert.Empty(harness.Coordinator.RevalidateCalls);
    }

    [Fact]
    public async Task A_host_sign_in_after_sign_out_rearms_the_timer()
    {
        using var harness = TimerHarness();
        harness.SignIn(FiveMinutes);
        harness.Revalidator.Start();
        harness.Coordinator.Enqueue(_ => RevalidationResult.SignedOut(SignOutReason.EndedElsewhere));
        harness.Time.Advance(TimeSpan.FromMinutes(4));
        await harness.Revalidator.LastRun;

        harness.SignIn(FiveMinutes);

        Assert.Equal(TimeSpan.FromMinutes(4), harness.Revalidator.ScheduledDelay);
    }

    [Fact]
    public async Task A_failing_revalidation_on_the_timer_path_neither_throws_nor_stops_the_timer()
    {
        using var harness = TimerHarness();
        harness.SignIn(FiveMinutes);
        harness.Revalidator.Start();
        harness.Coordinator.Enqueue(_ => Task.FromException<RevalidationResult>(new InvalidOperationException("coordinator bug")));

        harness.Time.Advance(TimeSpan.FromMinutes(4));
        await harness.Revalidator.LastRun;

        Assert.True((await harness.CurrentAsync()).Auth.IsAuthenticated);
        Assert.Equal(RevalidationSchedule.DefaultRetryDelay, harness.Revalidator.ScheduledDelay);
        harness.Time.Advance(RevalidationSchedule.DefaultRetryDelay);
        await harness.Revalidator.LastRun;
        Assert.Equal(2, harness.Coordinator.RevalidateCalls.Count);
    }

    [Fact]
    public async Task Revalidations_started_by_the_timer_see_the_circuit_services()
    {
        using var harness = TimerHarness();
        harness.SignIn(FiveMinutes);
        harness.Revalidator.Start();
        IServiceProvider? seen = null;
        harness.Coordinator.Enqueue(current =>
        {
            seen = harness.Accessor.Services;
            return RevalidationResult.Unchanged(current);
        });

        harness.Time.Advance(TimeSpan.FromMinutes(4));
        await harness.Revalidator.LastRun;

        Assert.Same(harness.CircuitServices, seen);
        Assert.Null(harness.Accessor.Services);
    }

    private static ProviderHarness TimerHarness() => new(new AuthKitBlazorOptions
    {
        RefreshBuffer = TimeSpan.FromSeconds(60),
        RevalidationInterval = TimeSpan.FromMinutes(30),
    });
}
