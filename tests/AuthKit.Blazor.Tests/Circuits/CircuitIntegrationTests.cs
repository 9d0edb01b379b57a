using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using AuthKit.Blazor.Tests.TestSupport;
using AuthKit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Blazor.Tests.Circuits;

/// <summary>
/// A simulated circuit (the circuit's DI scope, the AuthKit state provider and circuit handler as AddAuthKit registers
/// them) against the real scheme, endpoints, relay and <see cref="WorkOSEmulator"/>, on one fake clock. The browser
/// is unreachable from the circuit here (no JS runtime), so the cookie only catches up through the relay.
/// </summary>
public sealed class CircuitIntegrationTests : IAsyncLifetime
{
    private AuthKitTestHost _host = null!;
    private ClaimsPrincipal? _lastPrincipal;

    public async Task InitializeAsync() =>
        _host = await AuthKitTestHost.StartAsync(map: app => app.MapGet("/_circuit", (HttpContext ctx) =>
        {
            // What the host hands to a new circuit: the principal the AuthKit scheme built for the _blazor request.
            _lastPrincipal = ctx.User;
            return "ok";
        }));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_circuit_stays_signed_in_across_several_token_lifetimes_without_replaying_a_refresh_token()
    {
        var browser = _host.NewBrowser();
        await _host.SignInAsync(browser);
        await using var circuit = await OpenCircuitAsync(browser);
        var first = circuit.Auth;

        await circuit.RunForAsync(TimeSpan.FromMinutes(16));

        var now = _host.Time.GetUtcNow();
        var current = circuit.Auth;
        Assert.True(current.IsAuthenticated);
        Assert.Equal(first.SessionId, current.SessionId);
        Assert.True(current.AccessTokenExpiresAt > now);
        Assert.True(circuit.StateChanges >= 3, $"expected a replaced principal per refresh, saw {circuit.StateChanges}");
        var counts = _host.Emulator.RequestCounts;
        Assert.Equal(circuit.StateChanges, counts.RefreshToken);
        Assert.Equal(0, counts.RejectedRefreshTokens);
    }

    [Fact]
    public async Task The_old_cookie_picks_up_the_circuits_newest_session_from_the_relay()
    {
        var browser = _host.NewBrowser();
        await _host.SignInAsync(browser);
        await using var circuit = await OpenCircuitAsync(browser);
        await circuit.RunForAsync(TimeSpan.FromMinutes(11)); // two or more rotations the cookie never saw
        var refreshes = _host.Emulator.RequestCounts.RefreshToken;
        Assert.True(refreshes >= 2);

        var response = await browser.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await response.Content.ReadFromJsonAsync<AuthKitTestHost.Me>();
        Assert.Equal("alice@example.com", me!.Email);
        Assert.Equal(circuit.Auth.AccessTokenExpiresAt!.Value.ToUnixTimeSeconds(), me.ExpiresAt);
        Assert.Equal(refreshes, _host.Emulator.RequestCounts.RefreshToken);
        Assert.Equal(0, _host.Emulator.RequestCounts.RejectedRefreshTokens);
    }

    [Fact]
    public async Task Signing_out_in_another_tab_signs_the_circuit_out_at_once_without_waiting_for_the_revalidation_interval()
    {
        var browser = _host.NewBrowser();
        await _host.SignInAsync(browser);
        await using var circuit = await OpenCircuitAsync(browser);
        var signedOut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        circuit.Provider.AuthenticationStateChanged += task => task.ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully && t.Result.User.Identity?.IsAuthenticated != true)
            {
                signedOut.TrySetResult();
            }
        }, TaskScheduler.Default);

        var signOut = await browser.PostFormWithAntiforgeryAsync("/auth/sign-out", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        // The clock does not move: the store's sign-out notification did it, not the timer (and this tab did not post it).
        await signedOut.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await circuit.Revalidator.LastRun;
        Assert.False(circuit.Auth.IsAuthenticated);
        Assert.False((await circuit.Provider.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated);
    }

    [Fact]
    public async Task A_session_revoked_at_WorkOS_signs_the_circuit_out_when_its_access_token_expires()
    {
        // WorkOS answers a revoked session's refresh exactly as a refresh token another server already used
        // (invalid_grant), so the circuit keeps the session while its access token is valid, and no longer.
        var browser = _host.NewBrowser();
        await _host.SignInAsync(browser);
        await using var circuit = await OpenCircuitAsync(browser);
        Assert.True(_host.Emulator.RevokeSession(circuit.Auth.SessionId!));

        await circuit.RunForAsync(TimeSpan.FromMinutes(3.5));
        Assert.True(circuit.Auth.IsAuthenticated); // the access token is still valid and nothing asked WorkOS yet
        Assert.Equal(0, _host.Emulator.RequestCounts.RejectedRefreshTokens);

        await circuit.RunForAsync(TimeSpan.FromMinutes(1));
        Assert.True(circuit.Auth.IsAuthenticated); // refresh rejected at 4 min; the token is valid until 5 min
        Assert.True(_host.Emulator.RequestCounts.RejectedRefreshTokens >= 1);

        await circuit.RunForAsync(TimeSpan.FromMinutes(1));

        Assert.False(circuit.Auth.IsAuthenticated);
        Assert.Null(circuit.Revalidator.ScheduledDelay);
    }

    [Fact]
    public async Task WorkOS_failing_during_a_circuit_refresh_keeps_the_user_signed_in_and_a_retry_recovers()
    {
        var browser = _host.NewBrowser();
        await _host.SignInAsync(browser);
        await using var circuit = await OpenCircuitAsync(browser);
        var first = circuit.Auth;
        _host.Emulator.InjectFault(new EmulatorFault { Route = "/user_management/authenticate", GrantType = "refresh_token", Status = 503, Count = null });

        await circuit.RunForAsync(TimeSpan.FromMinutes(4.5));

        Assert.Same(first, circuit.Auth);
        Assert.True(_host.Emulator.RequestCounts.FaultsServed >= 1);

        _host.Emulator.ClearFaults();
        await circuit.RunForAsync(TimeSpan.FromSeconds(30));

        Assert.True(circuit.Auth.IsAuthenticated);
        Assert.NotEqual(first.AccessToken, circuit.Auth.AccessToken);
        Assert.Equal(0, _host.Emulator.RequestCounts.RejectedRefreshTokens);
    }

    private async Task<SimulatedCircuit> OpenCircuitAsync(TestBrowser browser)
    {
        var response = await browser.GetAsync("/_circuit");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await SimulatedCircuit.OpenAsync(_host, _lastPrincipal!);
    }
}
