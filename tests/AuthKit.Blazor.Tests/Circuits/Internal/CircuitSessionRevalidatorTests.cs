using System.Security.Claims;
using AuthKit.Session;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;

namespace AuthKit.Blazor.Tests.Circuits;

public sealed partial class CircuitSessionRevalidatorTests
{
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_refresh_replaces_the_principal_and_raises_AuthenticationStateChanged()
    {
        using var harness = new ProviderHarness();
        var original = harness.SignIn();
        var before = await harness.CurrentAsync();
        harness.Time.Advance(TimeSpan.FromMinutes(4));
        var refreshed = TestAuth.Create(harness.Time.GetUtcNow(), FiveMinutes, role: "member");
        harness.Coordinator.Enqueue(_ => RevalidationResult.Refreshed(refreshed, "sealed-successor"));

        var result = await harness.Revalidator.RevalidateAsync(force: false);

        Assert.Equal(RevalidationOutcome.Refreshed, result.Outcome);
        var changed = Assert.Single(harness.Changes);
        var state = Assert.IsType<AuthKitAuthenticationState>(await changed);
        Assert.Same(refreshed, state.Auth);
        Assert.NotSame(before.User, state.User);
        Assert.True(state.User.IsInRole("member"));
        Assert.False(state.User.IsInRole("admin"));
        Assert.Same(state, await harness.Provider.GetAuthenticationStateAsync());
        Assert.Same(original, harness.Coordinator.RevalidateCalls.Single().Current);
    }

    [Fact]
    public async Task A_refresh_asks_the_browser_to_post_to_the_session_endpoint()
    {
        using var harness = new ProviderHarness(schemeOptions: new AuthKitAuthenticationOptions { SessionPath = "/custom/session" });
        harness.SignIn();
        harness.Coordinator.Enqueue(_ => RevalidationResult.Refreshed(TestAuth.Create(harness.Time.GetUtcNow(), FiveMinutes, tokenSuffix: "next"), "sealed"));

        await harness.Revalidator.RevalidateAsync(force: false);
        await harness.Revalidator.PendingCookieWrite;

        Assert.Equal([SessionCookieSync.ModulePath], harness.JS.Imports);
        var args = Assert.Single(harness.JS.StoreSessionCalls);
        Assert.Equal("/custom/session", args[0]);
        Assert.Equal(AuthKitDefaults.SessionRequestHeader, args[1]);
    }

    [Fact]
    public async Task An_unreachable_browser_after_a_refresh_keeps_the_new_session_and_does_not_fault()
    {
        using var harness = new ProviderHarness();
        harness.SignIn();
        harness.JS.Failure = new JSDisconnectedException("gone");
        var refreshed = TestAuth.Create(harness.Time.GetUtcNow(), FiveMinutes, tokenSuffix: "next");
        harness.Coordinator.Enqueue(_ => RevalidationResult.Refreshed(refreshed, "sealed"));

        await harness.Revalidator.RevalidateAsync(force: false);
        await harness.Revalidator.PendingCookieWrite;

        Assert.Same(refreshed, (await harness.CurrentAsync()).Auth);
        Assert.Empty(harness.JS.StoreSessionCalls);
    }

    [Theory]
    [InlineData(nameof(SignOutReason.RefreshRejected))]
    [InlineData(nameof(SignOutReason.Revoked))]
    [InlineData(nameof(SignOutReason.EndedElsewhere))]
    public async Task A_final_failure_signs_the_circuit_out(string reasonName)
    {
        var reason = Enum.Parse<SignOutReason>(reasonName);
        using var harness = new ProviderHarness();
        harness.SignIn();
        harness.Coordinator.Enqueue(_ => RevalidationResult.SignedOut(reason));

        await harness.Revalidator.RevalidateAsync(force: false);

        var state = Assert.IsType<AuthKitAuthenticationState>(await Assert.Single(harness.Changes));
        Assert.False(state.Auth.IsAuthenticated);
        Assert.False(state.User.Identity?.IsAuthenticated);
        Assert.False(harness.Provider.Session.IsAuthenticated);
        Assert.Empty(harness.JS.StoreSessionCalls);
    }

    [Fact]
    public async Task A_signed_out_circuit_stops_asking_the_coordinator()
    {
        using var harness = new ProviderHarness();
        harness.SignIn();
        harness.Coordinator.Enqueue(_ => RevalidationResult.SignedOut(SignOutReason.EndedElsewhere));
        await harness.Revalidator.RevalidateAsync(force: false);

        await harness.Revalidator.RevalidateAsync(force: false);

        Assert.Single(harness.Coordinator.RevalidateCalls);
    }

    [Fact]
    public async Task A_transient_failure_keeps_the_user_signed_in_while_the_access_token_is_valid()
    {
        using var harness = new ProviderHarness();
        var auth = harness.SignIn();
        var before = await harness.CurrentAsync();
        harness.Time.Advance(TimeSpan.FromMinutes(4.5));
        harness.Coordinator.Enqueue(current =>
            RevalidationResult.Transient(current, TimeSpan.FromSeconds(7), accessTokenStillValid: true, new HttpRequestException("503")));

        await harness.Revalidator.RevalidateAsync(force: false);

        Assert.Empty(harness.Changes);
        Assert.Same(before, await harness.CurrentAsync());
        Assert.Same(auth, harness.Provider.Session);
        Assert.Equal(harness.Time.GetUtcNow() + TimeSpan.FromSeconds(7), harness.Revalidator.RetryNotBefore);
    }

    [Fact]
    public async Task Transient_failures_past_the_access_token_expiry_show_signed_out_and_a_later_refresh_signs_back_in()
    {
        using var harness = new ProviderHarness();
        var auth = harness.SignIn();
        harness.Time.Advance(TimeSpan.FromMinutes(6));
        harness.Coordinator.Enqueue(current => RevalidationResult.Transient(current, TimeSpan.FromSeconds(10), accessTokenStillValid: false, null));

        await harness.Revalidator.RevalidateAsync(force: false);

        Assert.False((await harness.CurrentAsync()).Auth.IsAuthenticated);
        Assert.Same(auth, harness.Provider.Session);

        harness.Time.Advance(TimeSpan.FromSeconds(10));
        var refreshed = TestAuth.Create(harness.Time.GetUtcNow(), FiveMinutes, tokenSuffix: "after-outage");
        harness.Coordinator.Enqueue(_ => RevalidationResult.Refreshed(refreshed, "sealed"));

        await harness.Revalidator.RevalidateAsync(force: false);

        Assert.Same(refreshed, (await harness.CurrentAsync()).Auth);
        Assert.Equal(2, harness.Changes.Count);
        Assert.Same(auth, harness.Coordinator.RevalidateCalls[1].Current);
    }

    [Fact]
    public async Task An_unexpected_coordinator_exception_counts_as_a_transient_failure()
    {
        using var harness = new ProviderHarness();
        var auth = harness.SignIn();
        harness.Coordinator.Enqueue(_ => Task.FromException<RevalidationResult>(new InvalidOperationException("boom")));

        var result = await harness.Revalidator.RevalidateAsync(force: false);

        Assert.Equal(RevalidationOutcome.TransientFailure, result.Outcome);
        Assert.True(result.AccessTokenStillValid);
        Assert.Same(auth, (await harness.CurrentAsync()).Auth);
        Assert.Empty(harness.Changes);
    }

    [Fact]
    public async Task Concurrent_revalidations_share_one_coordinator_call()
    {
        using var harness = new ProviderHarness();
        harness.SignIn();
        var gate = new TaskCompletionSource<RevalidationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Coordinator.Enqueue(_ => gate.Task);

        var first = harness.Revalidator.RevalidateAsync(force: false);
        var second = harness.Revalidator.RevalidateAsync(force: true);
        await harness.Coordinator.WhenCalledAsync(1);
        var refreshed = TestAuth.Create(harness.Time.GetUtcNow(), FiveMinutes, tokenSuffix: "shared");
        gate.SetResult(RevalidationResult.Refreshed(refreshed, "sealed"));

        Assert.Same(await first, await second);
        Assert.Single(harness.Coordinator.RevalidateCalls);
        Assert.Same(refreshed, (await harness.CurrentAsync()).Auth);
    }
}
