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
        harness.Time.Advance(CircuitSessionRevalidator.SigningOutGrace);

        Assert.Empty(harness.Coordinator.RevalidateCalls);
        Assert.Equal(0, harness.JS.IsSigningOutCalls); // nobody to ask
    }

    [Fact]
    public async Task An_ended_notification_for_the_circuits_session_revalidates_it_at_once_without_waiting_for_the_timer()
    {
        var store = NewStore();
        using var harness = new ProviderHarness(store: store);
        var auth = harness.SignIn();
        harness.Revalidator.Start();
        harness.Coordinator.Enqueue(_ => RevalidationResult.SignedOut(SignOutReason.EndedElsewhere));

        await store.MarkEndedAsync(SessionRelay.KeyForSessionId(auth.SessionId!), TimeSpan.FromMinutes(5));
        await harness.Coordinator.WhenCalledAsync(1); // no time passes: not the timer
        await harness.Revalidator.LastRun;

        Assert.False((await harness.CurrentAsync()).Auth.IsAuthenticated);
        Assert.Equal(1, harness.JS.IsSigningOutCalls);
    }

    [Fact]
    public void A_signed_in_circuit_has_its_tab_watch_for_sign_out_form_submissions_at_the_sign_out_endpoint()
    {
        using var harness = new ProviderHarness();
        harness.SignIn();
        harness.Revalidator.Start();

        var url = Assert.Single(harness.JS.WatchSignOutCalls);
        Assert.EndsWith("/auth/sign-out", url, StringComparison.Ordinal);
        Assert.Equal([SessionCookieSync.ModulePath], harness.JS.Imports);
    }

    [Fact]
    public async Task The_tab_that_posted_the_sign_out_is_left_to_its_navigation_and_revalidated_only_if_still_connected_after_the_grace()
    {
        var store = NewStore();
        using var harness = new ProviderHarness(store: store);
        var auth = harness.SignIn();
        harness.Revalidator.Start();
        harness.JS.SigningOut = true;
        harness.Coordinator.Enqueue(_ => RevalidationResult.SignedOut(SignOutReason.EndedElsewhere));

        await store.MarkEndedAsync(SessionRelay.KeyForSessionId(auth.SessionId!), TimeSpan.FromMinutes(5));
        Assert.Equal(1, harness.JS.IsSigningOutCalls);
        harness.Time.Advance(CircuitSessionRevalidator.SigningOutGrace - TimeSpan.FromMilliseconds(1));
        Assert.Empty(harness.Coordinator.RevalidateCalls); // following the sign-out redirects: not sent to sign-in midway
        harness.Time.Advance(TimeSpan.FromMilliseconds(1)); // still connected: the navigation did not happen
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
        harness.Time.Advance(CircuitSessionRevalidator.SigningOutGrace);
        harness.Revalidator.Stop();
        await store.MarkEndedAsync(SessionRelay.KeyForSessionId(auth.SessionId!), TimeSpan.FromMinutes(5));
        harness.Time.Advance(CircuitSessionRevalidator.SigningOutGrace);

        Assert.Empty(harness.Coordinator.RevalidateCalls);
        Assert.True((await harness.CurrentAsync()).Auth.IsAuthenticated);
    }
}
