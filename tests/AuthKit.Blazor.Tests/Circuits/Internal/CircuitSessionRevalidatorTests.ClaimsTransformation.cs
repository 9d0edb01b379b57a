using System.Security.Claims;
using AuthKit.Session;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Logging;

namespace AuthKit.Blazor.Tests.Circuits;

// The app's IClaimsTransformation inside the circuit: ASP.NET Core applies it to every HTTP request's principal; the
// revalidator applies it to every principal it builds for a new session, so app claims survive refreshes and switches.
public sealed partial class CircuitSessionRevalidatorTests
{
    private const int ClaimsTransformationFailedEventId = 5606;

    [Fact]
    public async Task A_refresh_inside_the_circuit_publishes_a_principal_carrying_the_apps_transformed_claims()
    {
        var transformation = new RecordingClaimsTransformation();
        using var harness = new ProviderHarness(claimsTransformation: transformation);
        SignInAsTheHostDoes(harness);
        harness.Time.Advance(TimeSpan.FromMinutes(4));
        var refreshed = TestAuth.Create(harness.Time.GetUtcNow(), FiveMinutes, role: "member");
        harness.Coordinator.Enqueue(_ => RevalidationResult.Refreshed(refreshed, "sealed-successor"));

        await harness.Revalidator.RevalidateAsync(force: false);

        var state = Assert.IsType<AuthKitAuthenticationState>(await Assert.Single(harness.Changes));
        Assert.Same(refreshed, state.Auth);
        Assert.True(state.User.IsInRole(RecordingClaimsTransformation.Role));
        Assert.True(state.User.IsInRole("member"));
        Assert.Equal("org_acme", state.User.FindFirst(RecordingClaimsTransformation.TenantClaim)?.Value);
        // The transformation got exactly the principal the AuthKit scheme builds for the new session.
        var given = Assert.Single(transformation.Calls);
        Assert.Same(refreshed, given.GetAuthResult());
        Assert.Equal(AuthKitDefaults.AuthenticationScheme, given.Identity?.AuthenticationType);
        Assert.Same(state.User, given);
    }

    [Fact]
    public async Task Switching_organization_runs_the_transformation_on_the_new_organizations_principal()
    {
        var transformation = new RecordingClaimsTransformation();
        using var harness = new ProviderHarness(claimsTransformation: transformation);
        SignInAsTheHostDoes(harness);
        var globex = TestAuth.Create(harness.Time.GetUtcNow(), FiveMinutes, organizationId: "org_globex", role: "member");
        harness.Coordinator.OnSwitch = (_, _) => Task.FromResult(RevalidationResult.Refreshed(globex, "sealed"));

        var switched = await harness.Provider.SwitchOrganizationAsync("org_globex");

        Assert.True(switched);
        var state = Assert.IsType<AuthKitAuthenticationState>(await Assert.Single(harness.Changes));
        Assert.Same(globex, state.Auth);
        Assert.Equal("org_globex", state.User.FindFirst(RecordingClaimsTransformation.TenantClaim)?.Value);
        Assert.True(state.User.IsInRole(RecordingClaimsTransformation.Role));
    }

    [Fact]
    public async Task Signing_back_in_after_an_outage_publishes_a_transformed_principal()
    {
        var transformation = new RecordingClaimsTransformation();
        using var harness = new ProviderHarness(claimsTransformation: transformation);
        var auth = SignInAsTheHostDoes(harness);
        // WorkOS could not confirm the token (transient) and reported it unusable: the circuit shows signed out.
        harness.Coordinator.Enqueue(current => RevalidationResult.Transient(current, TimeSpan.FromSeconds(10), accessTokenStillValid: false, null));
        await harness.Revalidator.RevalidateAsync(force: false);
        Assert.False((await harness.CurrentAsync()).Auth.IsAuthenticated);
        harness.Time.Advance(TimeSpan.FromSeconds(10));

        await harness.Revalidator.RevalidateAsync(force: false); // unchanged: the kept session is fine after all

        var state = await harness.CurrentAsync();
        Assert.Same(auth, state.Auth);
        Assert.True(state.User.IsInRole(RecordingClaimsTransformation.Role));
        Assert.Same(auth, Assert.Single(transformation.Calls).GetAuthResult());
    }

    [Theory]
    [InlineData("principal.Clone()")]
    [InlineData("new principal of cloned identities")]
    public async Task A_transformation_that_clones_the_principal_keeps_the_new_AuthResult_reachable(string cloning)
    {
        var transformation = new RecordingClaimsTransformation
        {
            OnTransform = principal =>
            {
                var clone = cloning == "principal.Clone()"
                    ? principal.Clone()
                    : new ClaimsPrincipal(principal.Identities.Select(identity => identity.Clone()));
                ((ClaimsIdentity)clone.Identity!).AddClaim(new Claim("app:tier", "gold"));
                return Task.FromResult(clone);
            },
        };
        using var harness = new ProviderHarness(claimsTransformation: transformation);
        SignInAsTheHostDoes(harness);
        var refreshed = TestAuth.Create(harness.Time.GetUtcNow(), FiveMinutes, tokenSuffix: "after-clone");
        harness.Coordinator.Enqueue(_ => RevalidationResult.Refreshed(refreshed, "sealed"));

        await harness.Revalidator.RevalidateAsync(force: false);

        var state = await harness.CurrentAsync();
        Assert.NotSame(transformation.Calls.Single(), state.User);
        Assert.Equal("gold", state.User.FindFirst("app:tier")?.Value);
        Assert.Same(refreshed, state.User.GetAuthResult());
        Assert.Same(refreshed, state.GetAuthResult());
        Assert.Same(refreshed, await ((ICircuitAuthSource)harness.Provider).GetCurrentAuthResultAsync());
    }

    [Fact]
    public async Task A_transformation_that_returns_a_principal_without_AuthKits_identity_still_leaves_the_state_carrying_the_AuthResult()
    {
        var transformation = new RecordingClaimsTransformation
        {
            OnTransform = principal => Task.FromResult(new ClaimsPrincipal(
                new ClaimsIdentity(principal.Claims.Select(c => new Claim(c.Type, c.Value)), "app", AuthKitClaimTypes.Name, AuthKitClaimTypes.Role))),
        };
        using var harness = new ProviderHarness(claimsTransformation: transformation);
        SignInAsTheHostDoes(harness);
        var refreshed = TestAuth.Create(harness.Time.GetUtcNow(), FiveMinutes, tokenSuffix: "rebuilt");
        harness.Coordinator.Enqueue(_ => RevalidationResult.Refreshed(refreshed, "sealed"));

        await harness.Revalidator.RevalidateAsync(force: false);

        var state = await harness.CurrentAsync();
        Assert.Equal("app", state.User.Identity?.AuthenticationType);
        Assert.Same(refreshed, state.GetAuthResult());
        Assert.Same(refreshed, harness.Provider.Session);
    }

    [Theory]
    [InlineData("throws")]
    [InlineData("faults")]
    [InlineData("returns null")]
    public async Task A_failing_transformation_after_a_refresh_keeps_the_still_valid_previous_state_and_logs(string failure)
    {
        var transformation = new RecordingClaimsTransformation { OnTransform = Failing(failure) };
        using var harness = new ProviderHarness(claimsTransformation: transformation);
        var original = SignInAsTheHostDoes(harness);
        var before = await harness.CurrentAsync();
        harness.Time.Advance(TimeSpan.FromMinutes(4));
        var refreshed = TestAuth.Create(harness.Time.GetUtcNow(), FiveMinutes, tokenSuffix: "successor");
        harness.Coordinator.Enqueue(_ => RevalidationResult.Refreshed(refreshed, "sealed"));

        var result = await harness.Revalidator.RevalidateAsync(force: false);

        Assert.Equal(RevalidationOutcome.TransientFailure, result.Outcome);
        Assert.True(result.AccessTokenStillValid);
        Assert.Empty(harness.Changes);
        Assert.Same(before, await harness.CurrentAsync());
        Assert.True(before.User.IsInRole(RecordingClaimsTransformation.Role));
        Assert.Same(original, harness.Provider.Session);
        Assert.Equal(harness.Time.GetUtcNow() + RevalidationSchedule.DefaultRetryDelay, harness.Revalidator.RetryNotBefore);
        await harness.Revalidator.PendingCookieWrite;
        Assert.Empty(harness.JS.StoreSessionCalls);
        var logged = Assert.Single(harness.Logs.GetSnapshot(), r => r.Id.Id == ClaimsTransformationFailedEventId);
        Assert.Equal(LogLevel.Error, logged.Level);
        Assert.NotNull(logged.Exception);
        Assert.All(harness.Logs.GetSnapshot(), r => AssertNoSecrets(r.Message, original, refreshed));
    }

    [Fact]
    public async Task After_a_failed_transformation_the_retry_publishes_the_successor_with_the_apps_claims()
    {
        var transformation = new RecordingClaimsTransformation { OnTransform = Failing("throws") };
        using var harness = new ProviderHarness(claimsTransformation: transformation);
        var original = SignInAsTheHostDoes(harness);
        harness.Time.Advance(TimeSpan.FromMinutes(4));
        var refreshed = TestAuth.Create(harness.Time.GetUtcNow(), FiveMinutes, tokenSuffix: "successor");
        harness.Coordinator.Default = _ => Task.FromResult(RevalidationResult.Refreshed(refreshed, "sealed")); // the relay keeps answering it
        await harness.Revalidator.RevalidateAsync(force: false);
        transformation.OnTransform = null;
        harness.Time.Advance(RevalidationSchedule.DefaultRetryDelay);

        await harness.Revalidator.RevalidateAsync(force: false);

        var state = Assert.IsType<AuthKitAuthenticationState>(await Assert.Single(harness.Changes));
        Assert.Same(refreshed, state.Auth);
        Assert.True(state.User.IsInRole(RecordingClaimsTransformation.Role));
        Assert.Null(harness.Revalidator.RetryNotBefore);
        Assert.Equal([original, original], harness.Coordinator.RevalidateCalls.Select(c => c.Current));
    }

    [Fact]
    public async Task A_failing_transformation_when_the_previous_access_token_expired_publishes_anonymous_and_keeps_retrying()
    {
        var transformation = new RecordingClaimsTransformation { OnTransform = Failing("throws") };
        using var harness = new ProviderHarness(claimsTransformation: transformation);
        var original = SignInAsTheHostDoes(harness);
        harness.Time.Advance(TimeSpan.FromMinutes(6)); // the timer was late: the access token expired
        var refreshed = TestAuth.Create(harness.Time.GetUtcNow(), FiveMinutes, tokenSuffix: "successor");
        harness.Coordinator.Enqueue(_ => RevalidationResult.Refreshed(refreshed, "sealed"));

        var result = await harness.Revalidator.RevalidateAsync(force: false);

        Assert.Equal(RevalidationOutcome.TransientFailure, result.Outcome);
        var state = Assert.IsType<AuthKitAuthenticationState>(await Assert.Single(harness.Changes));
        Assert.False(state.Auth.IsAuthenticated);
        Assert.False(state.User.Identity?.IsAuthenticated);
        Assert.Same(original, harness.Provider.Session);
        Assert.NotNull(harness.Revalidator.RetryNotBefore);
        Assert.Single(harness.Logs.GetSnapshot(), r => r.Id.Id == ClaimsTransformationFailedEventId);
    }

    [Fact]
    public async Task A_failing_transformation_during_an_organization_switch_reports_failure_and_keeps_the_current_state()
    {
        var transformation = new RecordingClaimsTransformation { OnTransform = Failing("throws") };
        using var harness = new ProviderHarness(claimsTransformation: transformation);
        var original = SignInAsTheHostDoes(harness);
        var before = await harness.CurrentAsync();
        var globex = TestAuth.Create(harness.Time.GetUtcNow(), FiveMinutes, organizationId: "org_globex");
        harness.Coordinator.OnSwitch = (_, _) => Task.FromResult(RevalidationResult.Refreshed(globex, "sealed"));

        var switched = await harness.Provider.SwitchOrganizationAsync("org_globex");

        Assert.False(switched);
        Assert.Empty(harness.Changes);
        Assert.Same(before, await harness.CurrentAsync());
        Assert.Same(original, harness.Provider.Session);
        Assert.NotNull(harness.Revalidator.RetryNotBefore); // the successor waits in the relay; the retry picks it up
    }

    [Fact]
    public async Task No_transformation_runs_for_anonymous_states()
    {
        var transformation = new RecordingClaimsTransformation();
        using var harness = new ProviderHarness(claimsTransformation: transformation);
        harness.Provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));
        await harness.Revalidator.RevalidateAsync(force: false);
        harness.SignIn();
        harness.Coordinator.Enqueue(_ => RevalidationResult.Refreshed(AuthResult.Anonymous, "sealed")); // a refresh that ended the session
        await harness.Revalidator.RevalidateAsync(force: false);
        harness.SignIn();
        harness.Coordinator.Enqueue(_ => RevalidationResult.SignedOut(SignOutReason.EndedElsewhere));

        await harness.Revalidator.RevalidateAsync(force: false);

        Assert.False((await harness.CurrentAsync()).Auth.IsAuthenticated);
        Assert.Empty(transformation.Calls);
    }

    [Fact]
    public async Task The_transformation_runs_only_when_a_new_principal_is_built_not_when_the_state_is_read()
    {
        var transformation = new RecordingClaimsTransformation();
        using var harness = new ProviderHarness(claimsTransformation: transformation);
        SignInAsTheHostDoes(harness); // the host's principal was transformed by the HTTP request already
        for (var i = 0; i < 3; i++)
        {
            await harness.Provider.GetAuthenticationStateAsync();
        }

        await harness.Revalidator.RevalidateAsync(force: false); // unchanged
        Assert.Empty(transformation.Calls);

        harness.Coordinator.Enqueue(_ => RevalidationResult.Refreshed(TestAuth.Create(harness.Time.GetUtcNow(), FiveMinutes, tokenSuffix: "next"), "sealed"));
        await harness.Revalidator.RevalidateAsync(force: false);
        for (var i = 0; i < 3; i++)
        {
            await harness.Provider.GetAuthenticationStateAsync();
            await ((ICircuitAuthSource)harness.Provider).GetCurrentAuthResultAsync();
        }

        Assert.Single(transformation.Calls);
    }

    [Fact]
    public async Task The_default_no_op_transformation_publishes_AuthKits_principal_unchanged()
    {
        using var harness = new ProviderHarness(claimsTransformation: new NoopClaimsTransformation());
        harness.SignIn();
        var refreshed = TestAuth.Create(harness.Time.GetUtcNow(), FiveMinutes, tokenSuffix: "next");
        harness.Coordinator.Enqueue(_ => RevalidationResult.Refreshed(refreshed, "sealed"));

        await harness.Revalidator.RevalidateAsync(force: false);

        var state = await harness.CurrentAsync();
        var identity = Assert.Single(state.User.Identities);
        Assert.IsType<AuthKitIdentity>(identity);
        Assert.Equal(
            AuthKitIdentity.CreatePrincipal(refreshed).Claims.Select(c => (c.Type, c.Value)),
            state.User.Claims.Select(c => (c.Type, c.Value)));
        Assert.Same(refreshed, state.User.GetAuthResult());
    }

    [Fact]
    public async Task Closing_the_circuit_while_the_transformation_runs_publishes_nothing()
    {
        var transformation = RecordingClaimsTransformation.NeverFinishing(out var called);
        var harness = new ProviderHarness(claimsTransformation: transformation);
        var original = SignInAsTheHostDoes(harness);
        harness.Coordinator.Enqueue(_ => RevalidationResult.Refreshed(TestAuth.Create(harness.Time.GetUtcNow(), FiveMinutes, tokenSuffix: "late"), "sealed"));
        var run = harness.Revalidator.RevalidateAsync(force: false);
        await called.WaitAsync(TimeSpan.FromSeconds(10));

        harness.Dispose();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(RevalidationOutcome.Unchanged, result.Outcome);
        Assert.Empty(harness.Changes);
        Assert.Same(original, harness.Provider.Session);
        Assert.DoesNotContain(harness.Logs.GetSnapshot(), r => r.Id.Id == ClaimsTransformationFailedEventId);
    }

    [Fact]
    public async Task Cancelling_an_organization_switch_while_the_transformation_runs_throws_and_keeps_the_current_state()
    {
        var transformation = RecordingClaimsTransformation.NeverFinishing(out var called);
        using var harness = new ProviderHarness(claimsTransformation: transformation);
        var original = SignInAsTheHostDoes(harness);
        harness.Coordinator.OnSwitch = (_, _) =>
            Task.FromResult(RevalidationResult.Refreshed(TestAuth.Create(harness.Time.GetUtcNow(), FiveMinutes, organizationId: "org_globex"), "sealed"));
        using var cancellation = new CancellationTokenSource();
        var switching = harness.Provider.SwitchOrganizationAsync("org_globex", cancellation.Token);
        await called.WaitAsync(TimeSpan.FromSeconds(10));

        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => switching);
        Assert.Empty(harness.Changes);
        Assert.Same(original, harness.Provider.Session);
    }

    // The circuit starts like the host starts it: with the request's principal, which ASP.NET Core already transformed.
    private static AuthResult SignInAsTheHostDoes(ProviderHarness harness)
    {
        var auth = TestAuth.Create(harness.Time.GetUtcNow(), FiveMinutes);
        var principal = RecordingClaimsTransformation.AddAppIdentity(AuthKitIdentity.CreatePrincipal(auth));
        harness.Provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        harness.Changes.Clear();
        return auth;
    }

    private static Func<ClaimsPrincipal, Task<ClaimsPrincipal>> Failing(string failure) => failure switch
    {
        "throws" => _ => throw new InvalidOperationException("The roles database is unavailable."),
        "faults" => _ => Task.FromException<ClaimsPrincipal>(new TimeoutException("The roles database timed out.")),
        "returns null" => _ => Task.FromResult<ClaimsPrincipal>(null!),
        _ => throw new ArgumentOutOfRangeException(nameof(failure)),
    };

    private static void AssertNoSecrets(string message, params AuthResult[] sessions)
    {
        foreach (var auth in sessions)
        {
            Assert.DoesNotContain(auth.AccessToken!, message, StringComparison.Ordinal);
            Assert.DoesNotContain(auth.RefreshToken!, message, StringComparison.Ordinal);
        }
    }
}
