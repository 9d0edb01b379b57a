using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using AuthKit.Blazor.Tests.TestSupport;
using AuthKit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Blazor.Tests.Integration;

/// <summary>
/// The real session engine (scheme handler, SessionResolver, RefreshFlight, MemorySessionStore, the circuit's
/// revalidator) against the real <see cref="WorkOSEmulator"/>, no fake backend. The race is made real: the emulator holds
/// the one refresh call (a delay fault on the shared fake clock) until every other caller is seen waiting on it
/// (the resolver's or RefreshFlight's "joined" log event), and only then is it let go.
/// </summary>
public sealed class EngineProofTests : IAsyncLifetime
{
    /// <summary>
    /// Waiting on the one refresh: RefreshFlight's "Joined an in-flight refresh of the same session." (3302, a circuit or
    /// a request with another cookie of the session) or SessionResolver's "Joined an in-flight resolution of the same
    /// session cookie." (5108, a request carrying the same cookie value).
    /// </summary>
    private static readonly int[] JoinedFlightEvent = [3302, 5108];
    private const string RefreshRoute = "/user_management/authenticate";
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    private readonly LogEventCounter _log = new();
    private AuthKitTestHost _host = null!;
    private ClaimsPrincipal? _circuitPrincipal;

    public async Task InitializeAsync() =>
        _host = await AuthKitTestHost.StartAsync(
            configure: authKit => _log.AddTo(authKit.Services),
            map: app => app.MapGet("/_circuit", (HttpContext ctx) =>
            {
                // What the host hands to a new circuit: the principal the AuthKit scheme built for the _blazor request.
                _circuitPrincipal = ctx.User;
                return "ok";
            }));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_hundred_requests_racing_with_one_expired_cookie_make_one_refresh_call_and_all_get_the_same_successor()
    {
        var browser = await SignedInBrowserAsync();
        var expired = browser.SessionCookie;
        _host.Advance(TimeSpan.FromMinutes(10)); // the 5-minute access token expired 5 minutes ago
        var hold = TimeSpan.FromMinutes(1);
        HoldNextRefresh(hold);

        var requests = Enumerable.Range(0, 100).Select(_ => Task.Run(() => browser.Clone().GetAsync("/protected"))).ToArray();
        var all = Task.WhenAll(requests);

        // While WorkOS holds the one refresh, the 99 others are waiting on it and nobody has an answer.
        await WhileHeldAsync(joiners: 99, all);
        Assert.Equal(1, _host.Emulator.RequestCounts.RefreshToken);
        Assert.DoesNotContain(requests, r => r.IsCompleted);

        var responses = await ReleaseAsync(hold, all);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var response in responses)
        {
            Assert.Equal("protected:alice@example.com", await response.Content.ReadAsStringAsync());
        }

        var successors = responses.Select(SessionCookieSet).Distinct().ToList();
        var successor = Assert.Single(successors);
        Assert.NotEqual(expired, successor);
        var counts = _host.Emulator.RequestCounts;
        Assert.Equal(1, counts.RefreshToken);
        Assert.Equal(0, counts.RejectedRefreshTokens);
        Assert.Equal(99, _log.Count(JoinedFlightEvent));

        // The successor is a working session that needs no further refresh.
        var next = NewBrowserWith(successor);
        Assert.Equal(HttpStatusCode.OK, (await next.GetAsync("/protected")).StatusCode);
        Assert.Equal(1, _host.Emulator.RequestCounts.RefreshToken);
    }

    [Fact]
    public async Task A_circuit_and_fifty_requests_racing_for_one_expired_session_make_one_refresh_call_and_all_stay_signed_in()
    {
        var browser = await SignedInBrowserAsync();
        var expired = browser.SessionCookie;
        await using var circuit = await OpenCircuitAsync(browser);
        var before = circuit.Auth;

        // Held long enough that a refresh the circuit's own timer starts while the clock moves stays held until released.
        var hold = TimeSpan.FromMinutes(30);
        HoldNextRefresh(hold);
        _host.Advance(TimeSpan.FromMinutes(10));

        // The user acts in the circuit (its inbound-activity handler revalidates an expired session first) while 50
        // requests from other tabs arrive with the expired cookie.
        var inbound = circuit.Handler.CreateInboundActivityHandler(_ => Task.CompletedTask);
        var circuitActivity = Task.Run(() => inbound(null!));
        var requests = Enumerable.Range(0, 50).Select(_ => Task.Run(() => browser.Clone().GetAsync("/protected"))).ToArray();
        var all = Task.WhenAll(requests.Cast<Task>().Append(circuitActivity));

        // 51 callers of the engine (the circuit and 50 requests): one runs the refresh, 50 wait on it.
        await WhileHeldAsync(joiners: 50, all);
        Assert.Equal(1, _host.Emulator.RequestCounts.RefreshToken);
        Assert.DoesNotContain(requests, r => r.IsCompleted);
        Assert.False(circuitActivity.IsCompleted);
        Assert.Same(before, circuit.Auth);

        await ReleaseAsync(hold, all);

        var counts = _host.Emulator.RequestCounts;
        Assert.Equal(1, counts.RefreshToken);
        Assert.Equal(0, counts.RejectedRefreshTokens);
        Assert.Equal(50, _log.Count(JoinedFlightEvent));

        var responses = requests.Select(r => r.Result).ToList();
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var successor = Assert.Single(responses.Select(SessionCookieSet).Distinct());
        Assert.NotEqual(expired, successor);

        var now = _host.Time.GetUtcNow();
        var after = circuit.Auth;
        Assert.True(after.IsAuthenticated);
        Assert.True(circuit.User.Identity?.IsAuthenticated);
        Assert.Equal(before.SessionId, after.SessionId);
        Assert.NotEqual(before.AccessToken, after.AccessToken);
        Assert.True(after.AccessTokenExpiresAt > now);

        // The circuit holds the same successor the requests were given.
        var me = await NewBrowserWith(successor).GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var fromCookie = await me.Content.ReadFromJsonAsync<AuthKitTestHost.Me>();
        Assert.Equal(after.AccessTokenExpiresAt!.Value.ToUnixTimeSeconds(), fromCookie!.ExpiresAt);
        Assert.Equal(1, _host.Emulator.RequestCounts.RefreshToken);
    }

    private async Task<TestBrowser> SignedInBrowserAsync()
    {
        var browser = _host.NewBrowser();
        await _host.SignInAsync(browser);
        Assert.NotNull(browser.SessionCookie);
        _host.Emulator.ResetRequestCounts();
        return browser;
    }

    private async Task<SimulatedCircuit> OpenCircuitAsync(TestBrowser browser)
    {
        var response = await browser.GetAsync("/_circuit");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await SimulatedCircuit.OpenAsync(_host, _circuitPrincipal!);
    }

    private TestBrowser NewBrowserWith(string sessionCookie)
    {
        var browser = _host.NewBrowser();
        browser.SetCookie("wos-session", sessionCookie);
        return browser;
    }

    /// <summary>The emulator answers the next refresh grant normally, but only after <paramref name="hold"/> on the fake clock.</summary>
    private void HoldNextRefresh(TimeSpan hold) =>
        _host.Emulator.InjectFault(new EmulatorFault { Route = RefreshRoute, GrantType = "refresh_token", Delay = hold, Count = 1 });

    /// <summary>
    /// Waits until <paramref name="joiners"/> callers have joined the refresh flight and the one refresh call is held at
    /// the emulator. Fails if the callers finish instead, or have not all joined within <see cref="WaitLimit"/> (each ran
    /// its own refresh, or waited somewhere else).
    /// </summary>
    private async Task WhileHeldAsync(int joiners, Task all)
    {
        var joined = _log.WhenCountAsync(JoinedFlightEvent, joiners);
        using var limit = new CancellationTokenSource(WaitLimit);
        var first = await Task.WhenAny(joined, all, Task.Delay(Timeout.Infinite, limit.Token).ContinueWith(_ => { }, TaskScheduler.Default));
        Assert.True(
            ReferenceEquals(first, joined),
            $"{(ReferenceEquals(first, all) ? "the callers finished while the refresh was held" : "the callers did not all wait on one refresh")}: " +
            $"{_log.Count(JoinedFlightEvent)} of {joiners} joined the flight, {_host.Emulator.RequestCounts.RefreshToken} refresh calls reached the emulator");

        var deadline = DateTime.UtcNow + WaitLimit;
        while (_host.Emulator.RequestCounts.FaultsServed == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the refresh call never reached the emulator");
            await Task.Yield();
        }
    }

    /// <summary>
    /// Lets the held refresh go by moving the shared clock past the hold, and waits for every caller. The clock moves
    /// again only if the emulator had not armed its delay yet when it first moved (a race of microseconds).
    /// </summary>
    private async Task<T> ReleaseAsync<T>(TimeSpan hold, Task<T> all)
    {
        for (var attempt = 1; ; attempt++)
        {
            _host.Advance(hold);
            try
            {
                return await all.WaitAsync(attempt < 3 ? TimeSpan.FromSeconds(5) : WaitLimit);
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
    }

    private Task ReleaseAsync(TimeSpan hold, Task all) => ReleaseAsync(hold, all.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default));

    private static string SessionCookieSet(HttpResponseMessage response)
    {
        var header = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("wos-session=", StringComparison.Ordinal));
        return header["wos-session=".Length..header.IndexOf(';', StringComparison.Ordinal)];
    }
}
