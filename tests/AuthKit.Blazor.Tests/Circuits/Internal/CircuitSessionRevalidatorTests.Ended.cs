using AuthKit.Session;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor.Tests.Circuits.Internal;

/// <summary>A sign-out recorded in the store (by this server or pushed from another) reaches an open circuit at once, not at its next timer tick.</summary>
public sealed class CircuitSessionRevalidatorEndedTests
{
    private static MemorySessionStore NewStore() => new(Options.Create(new SessionEngineOptions()), TimeProvider.System);

    [Fact]
    public async Task A_circuit_whose_connection_is_down_is_left_to_its_reconnection()
    {
        var store = NewStore();
        using var harness = new ProviderHarness(store: store);
        var auth = harness.SignIn();
        harness.Revalidator.Start();
        harness.Revalidator.SetConnectionDown(true); // the tab that posted the sign-out navigated away

        await store.MarkEndedAsync(SessionRelay.KeyForSessionId(auth.SessionId!), TimeSpan.FromMinutes(5));
        harness.Time.Advance(CircuitSessionRevalidator.EndedNotificationGrace);

        Assert.Empty(harness.Coordinator.RevalidateCalls);
    }

    [Fact]
    public async Task An_ended_notification_for_the_circuits_session_revalidates_it_without_waiting_for_the_timer()
    {
        var store = NewStore();
        using var harness = new ProviderHarness(store: store);
        var auth = harness.SignIn();
        harness.Revalidator.Start();
        harness.Coordinator.Enqueue(_ => RevalidationResult.SignedOut(SignOutReason.EndedElsewhere));

        await store.MarkEndedAsync(SessionRelay.KeyForSessionId(auth.SessionId!), TimeSpan.FromMinutes(5));
        Assert.Empty(harness.Coordinator.RevalidateCalls); // a moment's grace for the tab that is navigating away
        harness.Time.Advance(CircuitSessionRevalidator.EndedNotificationGrace); // far short of the revalidation timer
        await harness.Coordinator.WhenCalledAsync(1);
        await harness.Revalidator.LastRun;

        Assert.False((await harness.CurrentAsync()).Auth.IsAuthenticated);
    }

    [Fact]
    public async Task Other_sessions_ending_and_rotations_leave_the_circuit_alone_and_a_stopped_circuit_stops_listening()
    {
        var store = NewStore();
        using var harness = new ProviderHarness(store: store);
        var auth = harness.SignIn();
        harness.Revalidator.Start();

        await store.MarkEndedAsync(SessionRelay.KeyForSessionId("session_other"), TimeSpan.FromMinutes(5));
        await store.SetRotationAsync(SessionRelay.KeyForRefreshToken(auth.RefreshToken!), new SessionRotation("sealed", "next"), TimeSpan.FromMinutes(5));
        harness.Time.Advance(CircuitSessionRevalidator.EndedNotificationGrace);
        harness.Revalidator.Stop();
        await store.MarkEndedAsync(SessionRelay.KeyForSessionId(auth.SessionId!), TimeSpan.FromMinutes(5));
        harness.Time.Advance(CircuitSessionRevalidator.EndedNotificationGrace);

        Assert.Empty(harness.Coordinator.RevalidateCalls);
        Assert.True((await harness.CurrentAsync()).Auth.IsAuthenticated);
    }
}
