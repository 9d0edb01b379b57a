using System.Security.Claims;
using AuthKit.Session;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;

namespace AuthKit.Blazor.Tests.Circuits;

public sealed partial class AuthKitAuthenticationStateProviderTests
{
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Host_state_with_an_AuthKit_principal_becomes_an_AuthKit_state_carrying_its_AuthResult()
    {
        using var harness = new ProviderHarness();
        var auth = TestAuth.Create(harness.Time.GetUtcNow(), FiveMinutes);
        var principal = AuthKitIdentity.CreatePrincipal(auth);

        harness.Provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));

        var state = await harness.CurrentAsync();
        Assert.Same(auth, state.Auth);
        Assert.Same(principal, state.User);
        Assert.Same(auth, state.GetAuthResult());
    }

    [Fact]
    public async Task Outside_a_component_scope_the_state_is_unavailable_like_the_framework_provider()
    {
        using var harness = new ProviderHarness();

        Assert.Throws<InvalidOperationException>(() => { _ = harness.Provider.GetAuthenticationStateAsync(); });
        await Assert.ThrowsAsync<InvalidOperationException>(() => ((ICircuitAuthSource)harness.Provider).GetCurrentAuthResultAsync().AsTask());
    }

    [Fact]
    public async Task Host_state_without_a_user_is_anonymous()
    {
        using var harness = new ProviderHarness();

        harness.Provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));

        var state = await harness.CurrentAsync();
        Assert.False(state.Auth.IsAuthenticated);
        Assert.False(state.User.Identity?.IsAuthenticated);
    }

    [Fact]
    public async Task A_refresh_replaces_the_principal_and_raises_AuthenticationStateChanged()
    {
        using var harness = new ProviderHarness();
        var original = harness.SignIn();
        var before = await harness.CurrentAsync();
        harness.Time.Advance(TimeSpan.FromMinutes(4));
        var refreshed = TestAuth.Create(harness.Time.GetUtcNow(), FiveMinutes, role: "member");
        harness.Coordinator.Enqueue(_ => RevalidationResult.Refreshed(refreshed, "sealed-successor"));

        var result = await harness.Provider.RevalidateAsync(force: false);

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

        await harness.Provider.RevalidateAsync(force: false);
        await harness.Provider.PendingCookieWrite;

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

        await harness.Provider.RevalidateAsync(force: false);
        await harness.Provider.PendingCookieWrite;

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

        await harness.Provider.RevalidateAsync(force: false);

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
        await harness.Provider.RevalidateAsync(force: false);

        await harness.Provider.RevalidateAsync(force: false);

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

        await harness.Provider.RevalidateAsync(force: false);

        Assert.Empty(harness.Changes);
        Assert.Same(before, await harness.CurrentAsync());
        Assert.Same(auth, harness.Provider.Session);
        Assert.Equal(harness.Time.GetUtcNow() + TimeSpan.FromSeconds(7), harness.Provider.RetryNotBefore);
    }

    [Fact]
    public async Task Transient_failures_past_the_access_token_expiry_show_signed_out_and_a_later_refresh_signs_back_in()
    {
        using var harness = new ProviderHarness();
        var auth = harness.SignIn();
        harness.Time.Advance(TimeSpan.FromMinutes(6));
        harness.Coordinator.Enqueue(current => RevalidationResult.Transient(current, TimeSpan.FromSeconds(10), accessTokenStillValid: false, null));

        await harness.Provider.RevalidateAsync(force: false);

        Assert.False((await harness.CurrentAsync()).Auth.IsAuthenticated);
        Assert.Same(auth, harness.Provider.Session);

        harness.Time.Advance(TimeSpan.FromSeconds(10));
        var refreshed = TestAuth.Create(harness.Time.GetUtcNow(), FiveMinutes, tokenSuffix: "after-outage");
        harness.Coordinator.Enqueue(_ => RevalidationResult.Refreshed(refreshed, "sealed"));

        await harness.Provider.RevalidateAsync(force: false);

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

        var result = await harness.Provider.RevalidateAsync(force: false);

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

        var first = harness.Provider.RevalidateAsync(force: false);
        var second = harness.Provider.RevalidateAsync(force: true);
        await harness.Coordinator.WhenCalledAsync(1);
        var refreshed = TestAuth.Create(harness.Time.GetUtcNow(), FiveMinutes, tokenSuffix: "shared");
        gate.SetResult(RevalidationResult.Refreshed(refreshed, "sealed"));

        Assert.Same(await first, await second);
        Assert.Single(harness.Coordinator.RevalidateCalls);
        Assert.Same(refreshed, (await harness.CurrentAsync()).Auth);
    }

    [Fact]
    public async Task The_access_token_source_refreshes_inside_the_refresh_window_and_returns_the_new_session()
    {
        using var harness = new ProviderHarness();
        harness.SignIn();
        harness.Time.Advance(TimeSpan.FromMinutes(4.5)); // 30 s left, inside the 60 s buffer
        var refreshed = TestAuth.Create(harness.Time.GetUtcNow(), FiveMinutes, tokenSuffix: "fresh");
        harness.Coordinator.Enqueue(_ => RevalidationResult.Refreshed(refreshed, "sealed"));

        var auth = await ((ICircuitAuthSource)harness.Provider).GetCurrentAuthResultAsync();

        Assert.Same(refreshed, auth);
    }

    [Fact]
    public async Task The_access_token_source_does_not_call_the_coordinator_for_a_fresh_token()
    {
        using var harness = new ProviderHarness();
        var signedIn = harness.SignIn();

        var auth = await ((ICircuitAuthSource)harness.Provider).GetCurrentAuthResultAsync();

        Assert.Same(signedIn, auth);
        Assert.Empty(harness.Coordinator.RevalidateCalls);
    }

    [Fact]
    public async Task A_reconnection_carrying_an_older_copy_of_the_session_keeps_the_circuits_newer_session()
    {
        using var harness = new ProviderHarness();
        var original = harness.SignIn();
        harness.Time.Advance(TimeSpan.FromMinutes(4));
        var refreshed = TestAuth.Create(harness.Time.GetUtcNow(), FiveMinutes, tokenSuffix: "newer");
        harness.Coordinator.Enqueue(_ => RevalidationResult.Refreshed(refreshed, "sealed"));
        await harness.Provider.RevalidateAsync(force: false);
        harness.Changes.Clear();

        harness.Provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(AuthKitIdentity.CreatePrincipal(original))));

        Assert.Same(refreshed, (await harness.CurrentAsync()).Auth);
        Assert.Empty(harness.Changes);
    }

    [Fact]
    public async Task A_reconnection_with_an_anonymous_principal_keeps_the_circuit_session_for_revalidation_to_decide()
    {
        using var harness = new ProviderHarness();
        var auth = harness.SignIn();

        harness.Provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));

        Assert.Same(auth, (await harness.CurrentAsync()).Auth);
    }

    [Fact]
    public async Task A_reconnection_carrying_a_newer_session_replaces_the_circuit_session()
    {
        using var harness = new ProviderHarness();
        harness.SignIn();
        harness.Time.Advance(TimeSpan.FromMinutes(4));
        var newer = TestAuth.Create(harness.Time.GetUtcNow(), FiveMinutes, tokenSuffix: "from-cookie");

        harness.Provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(AuthKitIdentity.CreatePrincipal(newer))));

        Assert.Same(newer, (await harness.CurrentAsync()).Auth);
        Assert.Same(newer, (await Assert.IsType<Task<AuthenticationState>>(Assert.Single(harness.Changes))).GetAuthResult());
    }

    [Fact]
    public async Task A_signed_out_circuit_accepts_a_new_sign_in_from_the_host()
    {
        using var harness = new ProviderHarness();
        harness.SignIn();
        harness.Coordinator.Enqueue(_ => RevalidationResult.SignedOut(SignOutReason.EndedElsewhere));
        await harness.Provider.RevalidateAsync(force: false);
        var again = TestAuth.Create(harness.Time.GetUtcNow(), FiveMinutes, sessionId: "session_2");

        harness.Provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(AuthKitIdentity.CreatePrincipal(again))));

        Assert.Same(again, (await harness.CurrentAsync()).Auth);
        Assert.Same(again, harness.Provider.Session);
    }

    [Fact]
    public async Task Switching_organization_replaces_the_principal_with_the_new_organization()
    {
        using var harness = new ProviderHarness();
        var auth = harness.SignIn(organizationId: "org_acme");
        var globex = TestAuth.Create(harness.Time.GetUtcNow(), FiveMinutes, organizationId: "org_globex", role: "member");
        harness.Coordinator.OnSwitch = (_, org) => Task.FromResult(RevalidationResult.Refreshed(globex, "sealed"));

        var switched = await harness.Provider.SwitchOrganizationAsync("org_globex");

        Assert.True(switched);
        Assert.Equal(("org_globex", auth), (harness.Coordinator.SwitchCalls.Single().OrganizationId, harness.Coordinator.SwitchCalls.Single().Current));
        var state = Assert.IsType<AuthKitAuthenticationState>(await Assert.Single(harness.Changes));
        Assert.Equal("org_globex", state.Auth.OrganizationId);
        Assert.Equal("org_globex", state.User.FindFirst(AuthKitClaimTypes.OrganizationId)?.Value);
        await harness.Provider.PendingCookieWrite;
        Assert.Single(harness.JS.StoreSessionCalls);
    }

    [Fact]
    public async Task A_failed_organization_switch_keeps_the_current_session()
    {
        using var harness = new ProviderHarness();
        var auth = harness.SignIn();
        harness.Coordinator.OnSwitch = (current, _) =>
            Task.FromResult(RevalidationResult.Transient(current, TimeSpan.FromSeconds(5), accessTokenStillValid: true, null));

        var switched = await harness.Provider.SwitchOrganizationAsync("org_unknown");

        Assert.False(switched);
        Assert.Same(auth, (await harness.CurrentAsync()).Auth);
        Assert.Empty(harness.Changes);
    }

    [Fact]
    public async Task Results_arriving_after_dispose_are_ignored()
    {
        var harness = new ProviderHarness();
        var auth = harness.SignIn();
        var gate = new TaskCompletionSource<RevalidationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Coordinator.Enqueue(_ => gate.Task);
        var run = harness.Provider.RevalidateAsync(force: false);
        await harness.Coordinator.WhenCalledAsync(1);

        harness.Dispose();
        gate.SetResult(RevalidationResult.SignedOut(SignOutReason.RefreshRejected));
        await run;

        Assert.Empty(harness.Changes);
        Assert.Same(auth, harness.Provider.Session);
    }
}
