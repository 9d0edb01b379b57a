using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace AuthKit.E2E.Tests.SeveralServers;

/// <summary>
/// Three sample servers on one Redis and one standalone emulator, behind one load-balanced origin, in Chromium: what a
/// user sees when the next request lands on another server (issue 12).
/// </summary>
[Collection(SeveralServersCollection.Name)]
public sealed class SeveralServersTests(SeveralServersFixture fixture, ITestOutputHelper output) : IDisposable
{
    private const string Alice = "alice@example.com";
    private const string Bob = "bob@example.com";
    private const string ReconciledLog = "AuthKit's Redis view reconciled";
    private static readonly TimeSpan PushDeadline = TimeSpan.FromSeconds(1);

    private readonly EmulatorControl _emulator = new(fixture.Emulator.BaseUri);

    private LoadBalancer Balancer => fixture.Balancer;

    /// <summary>Longest wait for something driven by one access-token lifetime, with margin.</summary>
    private static float OneTokenLifetime => (float)(SeveralServersFixture.AccessTokenLifetime + TimeSpan.FromSeconds(5)).TotalMilliseconds;

    [Fact]
    public Task A_sign_in_started_on_one_server_finishes_on_another_and_the_third_knows_the_user() => RunAsync(async session =>
    {
        var page = await session.NewPageAsync();
        await PinAsync(session, 0);
        await page.GotoAsync(Url("/"));
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(EmulatorSignInPage);

        await PinAsync(session, 1);
        await E2ETest.ChooseOnEmulatorSignInPageAsync(page, Alice, "Acme Corp");
        await Expect(page).ToHaveURLAsync(new Regex($"^{Regex.Escape(Url("/"))}$"));
        await Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync($"Signed in as {Alice}");

        var signIn = Balancer.Requests.Last(r => r.PathAndQuery.StartsWith("/auth/sign-in", StringComparison.Ordinal));
        var callback = Balancer.Requests.Last(r => r.PathAndQuery.StartsWith("/auth/callback", StringComparison.Ordinal));
        Assert.Equal((0, 302), (signIn.Server, signIn.Status));
        Assert.Equal((1, 302), (callback.Server, callback.Status));

        await E2ETest.WaitForCircuitAsync(page); // re-pin only once the page's circuit is connected (its negotiate and WebSocket stay together)
        await PinAsync(session, 2);
        await page.GotoAsync(Url("/account"));
        await Expect(page.GetByTestId("account-email")).ToHaveTextAsync(Alice);
        await Expect(page.GetByTestId("account-organization-name")).ToHaveTextAsync("Acme Corp");
        var account = Balancer.Requests.Last(r => r.PathAndQuery == "/account");
        Assert.Equal((2, 200), (account.Server, account.Status));
        AssertNoServerErrors();
    });

    [Fact]
    public Task One_browser_with_circuits_on_two_servers_stays_signed_in_across_three_token_lifetimes_with_one_refresh_each() => RunAsync(async session =>
    {
        // Page loads and cookie writes go round robin over all three servers; the two tabs' circuits live on 0 and 1.
        var tab1 = await SignInAsync(session, Alice);
        await PinCircuitsAsync(session, 0);
        await tab1.GotoAsync(Url("/account"));
        await E2ETest.WaitForCircuitAsync(tab1);
        var tab2 = await session.NewPageAsync();
        await PinCircuitsAsync(session, 1);
        await tab2.GotoAsync(Url("/account"));
        await E2ETest.WaitForCircuitAsync(tab2);
        foreach (var tab in new[] { tab1, tab2 })
        {
            await tab.EvaluateAsync("() => { window.__e2eNoReload = 'still here'; }");
        }

        var sessionId = await tab1.GetByTestId("account-session-id").InnerTextAsync();
        var before = await _emulator.GetSessionRefreshesAsync(sessionId);
        var expiry1 = tab1.GetByTestId("token-expiry");
        var expiresAt = await ExpiresAtAsync(expiry1);
        const int lifetimes = 3;
        for (var i = 1; i <= lifetimes; i++)
        {
            await Expect(expiry1).Not.ToHaveAttributeAsync("data-expires-at", expiresAt.ToString(CultureInfo.InvariantCulture), new() { Timeout = OneTokenLifetime });
            var next = await ExpiresAtAsync(expiry1);
            Assert.True(next > expiresAt, $"refresh {i}: the new expiry {next} is not later than {expiresAt}");
            expiresAt = next;
        }

        // The other circuit follows the same chain (the successor found through Redis, not a second refresh).
        await Expect(tab2.GetByTestId("token-expiry")).ToHaveAttributeAsync("data-expires-at", expiresAt.ToString(CultureInfo.InvariantCulture), new() { Timeout = OneTokenLifetime });
        var after = await _emulator.GetSessionRefreshesAsync(sessionId);
        var refreshes = after.Refreshes - before.Refreshes;
        Assert.Equal(before.Rejected, after.Rejected); // no circuit ever spent a token the other had spent
        Assert.InRange(refreshes, lifetimes, lifetimes + 1); // one per lifetime (the next may have begun), never one per circuit
        foreach (var tab in new[] { tab1, tab2 })
        {
            await Expect(tab).ToHaveURLAsync(new Regex($"^{Regex.Escape(Url("/account"))}$"));
            await Expect(tab.GetByTestId("account-email")).ToHaveTextAsync(Alice);
            Assert.Equal("still here", await tab.EvaluateAsync<string>("() => window.__e2eNoReload"));
        }

        var circuits = Balancer.Requests.Where(r => r.IsCircuit).Select(r => r.Server).ToHashSet();
        Assert.Subset(circuits, new HashSet<int> { 0, 1 });
        var cookieWrites = Balancer.Requests.Where(r => r.Method == "POST" && r.PathAndQuery == "/auth/session").ToList();
        Assert.NotEmpty(cookieWrites);
        Assert.All(cookieWrites, r => Assert.Equal(200, r.Status));
        output.WriteLine($"{refreshes} refresh(es) in {lifetimes} lifetimes; cookie writes by server: {string.Join(", ", cookieWrites.GroupBy(r => r.Server).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"))}");

        // In Redis, a chain of refreshes holds one sealed session: every record whose successor was refreshed in its
        // turn is a bare pointer, whichever server wrote either record.
        using (var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(fixture.Redis.Address))
        {
            var db = redis.GetDatabase();
            var records = new Dictionary<string, string>();
            await foreach (var key in redis.GetServer(fixture.Redis.Address).KeysAsync(pattern: "authkit:rotation:*"))
            {
                records[key.ToString()["authkit:rotation:".Length..]] = (await db.StringGetAsync(key)).ToString();
            }

            var pointers = records.Count(r => r.Value.EndsWith('\n'));
            output.WriteLine($"Redis: {records.Count} rotation records, {pointers} of them pointers, {records.Values.Sum(v => v.Length)} bytes of values");
            Assert.InRange(pointers, refreshes - 1, records.Count);
            Assert.All(records.Where(r => !r.Value.EndsWith('\n')), r =>
                Assert.False(records.ContainsKey(r.Value[..r.Value.IndexOf('\n', StringComparison.Ordinal)]), $"record {r.Key} keeps a sealed session although its successor was refreshed"));
        }

        // The browser's cookie was kept current: a full load on the third server is signed in.
        await PinAsync(session, 2);
        await tab1.ReloadAsync();
        await Expect(tab1.GetByTestId("account-email")).ToHaveTextAsync(Alice);
        AssertNoServerErrors();
    });

    [Fact]
    public async Task A_storm_of_90_requests_with_one_expired_cookie_over_three_servers_is_all_signed_in_with_one_refresh()
    {
        var cookie = await SignInOverHttpAsync(Alice, "org_acme");
        var first = await AskSessionAsync(cookie, server: 0);
        Assert.True(first.Authenticated, "the fresh cookie must be signed in");
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(first.ExpiresAt!.Value);
        var wait = expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1.5);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait); // real processes: the cookie's access token has to expire on the wall clock
        }

        var before = await _emulator.GetSessionRefreshesAsync(first.SessionId!);
        Balancer.ClearLog();
        const int requests = 90;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var storm = Enumerable.Range(0, requests).Select(async _ =>
        {
            await release.Task;
            return await AskSessionAsync(cookie, server: null);
        }).ToList();
        release.SetResult();
        var answers = await Task.WhenAll(storm);

        var served = Balancer.Requests.Where(r => r.PathAndQuery == "/auth/session").ToList();
        output.WriteLine($"storm: {requests} requests; by server: {string.Join(", ", served.GroupBy(r => r.Server).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"))}; slowest {served.Max(r => r.Elapsed).TotalMilliseconds:F0} ms");
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.All(answers, a => Assert.True(a.Authenticated, "a storm request was not signed in"));
        Assert.All(answers, a => Assert.Equal(first.SessionId, a.SessionId));
        Assert.All(answers, a => Assert.True(a.WroteSessionCookie, "a storm response did not write the refreshed cookie"));
        Assert.Equal(Enumerable.Range(0, SeveralServersFixture.ServerCount), served.Select(r => r.Server).Distinct().Order());
        var after = await _emulator.GetSessionRefreshesAsync(first.SessionId!);
        Assert.Equal(1, after.Refreshes - before.Refreshes); // exactly one upstream refresh for the whole storm
        Assert.Equal(before.Rejected, after.Rejected);
        AssertNoServerErrors();
    }

    [Fact]
    public async Task A_node_authkit_app_on_the_npm_package_shares_the_standalone_emulator_and_the_cookie_with_the_servers()
    {
        var cookie = await SignInOverHttpAsync(Alice, "org_acme");
        var signedIn = await AskSessionAsync(cookie, server: 0);
        var before = await _emulator.GetSessionRefreshesAsync(signedIn.SessionId!);

        // The Node app reads the .NET servers' cookie, refreshes it at the same emulator and verifies the result there.
        var node = await RunNodeAppAsync(cookie["wos-session=".Length..]);
        Assert.Equal(signedIn.SessionId, node.GetProperty("sessionId").GetString());
        Assert.Equal(Alice, node.GetProperty("email").GetString());
        Assert.Equal("org_acme", node.GetProperty("organizationId").GetString());
        Assert.Equal(Alice, node.GetProperty("verifiedEmail").GetString());
        Assert.Equal(before.Refreshes + 1, (await _emulator.GetSessionRefreshesAsync(signedIn.SessionId!)).Refreshes);

        // Every .NET server accepts the cookie the Node app wrote, for the same session, without refreshing it again.
        var nodeCookie = "wos-session=" + node.GetProperty("cookie").GetString();
        for (var server = 0; server < SeveralServersFixture.ServerCount; server++)
        {
            var answer = await AskSessionAsync(nodeCookie, server);
            Assert.True(answer.Authenticated, $"server {server} refused the Node app's cookie");
            Assert.Equal(signedIn.SessionId, answer.SessionId);
        }

        Assert.Equal(before.Refreshes + 1, (await _emulator.GetSessionRefreshesAsync(signedIn.SessionId!)).Refreshes);
        AssertNoServerErrors();
    }

    [Fact]
    public Task A_sign_out_form_from_one_server_posted_to_another_is_accepted_and_a_circuit_on_the_third_flips_within_a_second() => RunAsync(async session =>
    {
        var home = await SignInAsync(session, Alice);
        var cookie = await SessionCookieHeaderAsync(session);
        var watcher = await OpenCircuitOnAsync(session, 2);

        // Server 0 renders the page with the sign-out form (its antiforgery token made with the ring in Redis). It is a
        // page that requires sign-in: its circuit hears of the sign-out at once too, and must let this tab finish signing
        // out (it asks the tab, which noticed its own form) instead of sending it to sign-in midway.
        await PinAsync(session, 0);
        await home.GotoAsync(Url("/account"));
        await E2ETest.WaitForCircuitAsync(home);
        await WaitForCircuitRefreshAsync(watcher); // the watcher's own timer is now a whole lifetime away

        // WorkOS's logout is a round trip over the internet in production; here it takes 1.5 s, so this tab's circuit
        // hears of the sign-out long before the tab has followed the redirects to the signed-out page.
        await _emulator.DelayNextAsync("/user_management/sessions/logout", TimeSpan.FromSeconds(1.5));
        await PinAsync(session, 1);
        await SignOutAndWatchTheOtherCircuitFlipAsync(home, signedOutOn: 1, watcher, watcherServer: 2);

        // The old cookie is refused everywhere, not only where it was signed out.
        for (var server = 0; server < SeveralServersFixture.ServerCount; server++)
        {
            Assert.False((await AskSessionAsync(cookie, server)).Authenticated, $"server {server} still accepts the signed-out cookie");
        }

        AssertNoServerErrors();
    });

    [Fact]
    public Task With_Redis_stopped_users_stay_signed_in_and_sign_ins_work_without_errors_or_waits_and_once_it_is_back_sign_outs_reach_every_server() => RunAsync(async session =>
    {
        var tab = await SignInAsync(session, Alice);
        var watcher = await OpenCircuitOnAsync(session, 2);
        await WaitForCircuitRefreshAsync(watcher); // the outage below fits before the next refresh is due
        var reconciled = fixture.Servers.Select(s => s.CountOutputLines(ReconciledLog)).ToList();

        fixture.Redis.Kill();
        var outageStarted = DateTimeOffset.UtcNow;
        try
        {
            // Signed in on every server.
            for (var server = 0; server < SeveralServersFixture.ServerCount; server++)
            {
                await PinAsync(session, server);
                await tab.GotoAsync(Url("/account"));
                await Expect(tab.GetByTestId("account-email")).ToHaveTextAsync(Alice);
            }

            // A new sign-in works, started on one server and finished on another.
            await using var other = await BrowserSession.CreateAsync(fixture.Browser, Balancer.BaseUri, "outage-new-sign-in");
            var bobPage = await other.NewPageAsync();
            await PinAsync(other, 0);
            await bobPage.GotoAsync(Url("/"));
            await bobPage.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
            await Expect(bobPage).ToHaveURLAsync(EmulatorSignInPage);
            await PinAsync(other, 1);
            await E2ETest.ChooseOnEmulatorSignInPageAsync(bobPage, Bob, organization: null);
            await Expect(bobPage.GetByTestId("signed-in-as")).ToHaveTextAsync($"Signed in as {Bob}");
            await E2ETest.WaitForCircuitAsync(bobPage);
            await PinAsync(other, 2);
            await bobPage.GotoAsync(Url("/account"));
            await Expect(bobPage.GetByTestId("account-email")).ToHaveTextAsync(Bob);

            await Expect(watcher.GetByTestId("account-email")).ToHaveTextAsync(Alice);
            var during = Balancer.Requests.Where(r => r.StartedAt >= outageStarted && !r.IsCircuit).ToList();
            output.WriteLine($"Redis down: {during.Count} requests, slowest {during.Max(r => r.Elapsed).TotalMilliseconds:F0} ms ({during.MaxBy(r => r.Elapsed)})");
            Assert.All(during, r => Assert.True(r.Status < 500, $"a 5xx while Redis was down: {r}"));
            Assert.All(during, r => Assert.True(r.Elapsed < TimeSpan.FromSeconds(1), $"a request took a second or more while Redis was down: {r}"));
            Assert.Equal(Enumerable.Range(0, SeveralServersFixture.ServerCount), during.Select(r => r.Server).Distinct().Order());
        }
        finally
        {
            await fixture.Redis.StartProcessAsync();
        }

        // Back: every server resubscribes and reconciles (log event 6003), then a sign-out on one reaches the others.
        var back = Stopwatch.StartNew();
        while (fixture.Servers.Select((s, i) => s.CountOutputLines(ReconciledLog) > reconciled[i]).Any(done => !done))
        {
            Assert.True(back.Elapsed < TimeSpan.FromSeconds(30), "not every server reconciled with Redis within 30 s of its restart");
            await Task.Delay(100);
        }

        output.WriteLine($"every server reconciled {back.ElapsedMilliseconds} ms after Redis was back");
        var cookie = await SessionCookieHeaderAsync(session);
        await PinAsync(session, 0);
        await tab.GotoAsync(Url("/"));
        await E2ETest.WaitForCircuitAsync(tab);
        await SignOutAndWatchTheOtherCircuitFlipAsync(tab, signedOutOn: 0, watcher, watcherServer: 2);
        for (var server = 1; server < SeveralServersFixture.ServerCount; server++)
        {
            Assert.False((await AskSessionAsync(cookie, server)).Authenticated, $"server {server} still accepts the signed-out cookie");
        }

        AssertNoServerErrors();
    });

    // ------------------------------------------------------------------ helpers

    private Regex EmulatorSignInPage => new($"^{Regex.Escape(new Uri(fixture.Emulator.BaseUri, "user_management/authorize").ToString())}");

    private string Url(string path) => new Uri(Balancer.BaseUri, path).ToString();

    /// <summary>
    /// Sends every request of the context to <paramref name="server"/> (circuits too, unless pinned apart). Change it only
    /// while no circuit is connecting, as a real balancer's affinity would never split one.
    /// </summary>
    private async Task PinAsync(BrowserSession session, int server) =>
        await session.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = LoadBalancer.PinCookie, Value = server.ToString(CultureInfo.InvariantCulture), Url = Balancer.BaseUri.ToString() }]);

    /// <summary>Opens the context's next circuits on <paramref name="server"/>.</summary>
    private async Task PinCircuitsAsync(BrowserSession session, int server) =>
        await session.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = LoadBalancer.CircuitCookie, Value = server.ToString(CultureInfo.InvariantCulture), Url = Balancer.BaseUri.ToString() }]);

    /// <summary>Signs in from the home page (requests round robin) and waits until the app shows the user.</summary>
    private async Task<IPage> SignInAsync(BrowserSession session, string email)
    {
        var page = await session.NewPageAsync();
        await page.GotoAsync(Url("/"));
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(EmulatorSignInPage);
        await E2ETest.ChooseOnEmulatorSignInPageAsync(page, email, "Acme Corp");
        await Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync($"Signed in as {email}");
        await E2ETest.WaitForCircuitAsync(page); // before any pin changes: a circuit's negotiate and WebSocket must reach one server
        return page;
    }

    /// <summary>A new tab on <c>/account</c> whose circuit lives on <paramref name="server"/>.</summary>
    private async Task<IPage> OpenCircuitOnAsync(BrowserSession session, int server)
    {
        await PinCircuitsAsync(session, server);
        var page = await session.NewPageAsync();
        await page.GotoAsync(Url("/account"));
        await Expect(page.GetByTestId("account-email")).ToHaveTextAsync(Alice);
        await E2ETest.WaitForCircuitAsync(page);
        Assert.Equal(server, Balancer.Requests.Last(r => r.IsCircuit && r.Status is 101 or 200).Server);
        return page;
    }

    /// <summary>Waits until the circuit of an <c>/account</c> tab refreshed its session (its countdown jumped).</summary>
    private static async Task WaitForCircuitRefreshAsync(IPage page)
    {
        var expiry = page.GetByTestId("token-expiry");
        var before = await expiry.GetAttributeAsync("data-expires-at");
        await Expect(expiry).Not.ToHaveAttributeAsync("data-expires-at", before!, new() { Timeout = OneTokenLifetime });
    }

    /// <summary>
    /// Clicks the banner's Sign out in <paramref name="tab"/> (the balancer sends the POST to <paramref name="signedOutOn"/>):
    /// the tab lands on the signed-out page without a detour to sign-in, and the circuit of <paramref name="watcher"/> on
    /// <paramref name="watcherServer"/> leaves for sign-in within <see cref="PushDeadline"/> of the sign-out's answer.
    /// </summary>
    private async Task SignOutAndWatchTheOtherCircuitFlipAsync(IPage tab, int signedOutOn, IPage watcher, int watcherServer)
    {
        var flipped = WatchForSignInNavigation(watcher);
        var postingTabSentToSignIn = WatchForSignInNavigation(tab);
        await tab.GetByRole(AriaRole.Banner).GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(tab).ToHaveURLAsync(new Regex($"^{Regex.Escape(Url("/"))}$"));
        await Expect(tab.GetByRole(AriaRole.Heading, new() { Name = "You are signed out" })).ToBeVisibleAsync();
        var signOut = Balancer.Requests.Last(r => r.Method == "POST" && r.PathAndQuery == "/auth/sign-out");
        Assert.Equal((signedOutOn, 302), (signOut.Server, signOut.Status));
        Assert.False(postingTabSentToSignIn.IsCompleted, "the tab that posted the sign-out was sent to sign-in instead of finishing its sign-out");

        var delay = await flipped.WaitAsync(TimeSpan.FromSeconds(10)) - signOut.FinishedAt;
        output.WriteLine($"the circuit on server {watcherServer} left for sign-in {delay.TotalMilliseconds:F0} ms after the sign-out on server {signedOutOn} answered");
        Assert.True(delay < PushDeadline, $"the circuit on server {watcherServer} flipped {delay.TotalMilliseconds:F0} ms after the sign-out (limit {PushDeadline.TotalMilliseconds} ms)");
        await Expect(watcher).ToHaveURLAsync(EmulatorSignInPage);
    }

    /// <summary>Completes when <paramref name="page"/> starts navigating to sign in (its circuit saw the session end).</summary>
    private Task<DateTimeOffset> WatchForSignInNavigation(IPage page)
    {
        var seen = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        var emulatorSignIn = new Uri(fixture.Emulator.BaseUri, "user_management/authorize").ToString();
        page.Request += (_, request) =>
        {
            if (request.IsNavigationRequest && (request.Url.StartsWith(Url("/auth/sign-in"), StringComparison.Ordinal) || request.Url.StartsWith(emulatorSignIn, StringComparison.Ordinal)))
            {
                seen.TrySetResult(DateTimeOffset.UtcNow);
            }
        };
        return seen.Task;
    }

    private static async Task<long> ExpiresAtAsync(ILocator expiry) =>
        long.Parse((await expiry.GetAttributeAsync("data-expires-at"))!, CultureInfo.InvariantCulture);

    /// <summary>The context's session cookie(s) as a <c>Cookie</c> header value.</summary>
    private static async Task<string> SessionCookieHeaderAsync(BrowserSession session)
    {
        var cookies = (await session.Context.CookiesAsync()).Where(c => c.Name.StartsWith("wos-session", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(cookies);
        return string.Join("; ", cookies.Select(c => $"{c.Name}={c.Value}"));
    }

    /// <summary>Signs in over plain HTTP (round robin; see the fixture); returns the <c>Cookie</c> header of the session.</summary>
    private async Task<string> SignInOverHttpAsync(string email, string organizationId)
    {
        var jar = await fixture.SignInOverHttpAsync(email, organizationId);
        var session = jar.GetCookies(Balancer.BaseUri).Where(c => c.Name.StartsWith("wos-session", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(session);
        return string.Join("; ", session.Select(c => $"{c.Name}={c.Value}"));
    }

    /// <summary>Runs tests/interop/emulator-app.mjs (the real npm package) against the fixture's emulator with the servers' cookie password.</summary>
    private async Task<JsonElement> RunNodeAppAsync(string cookieValue)
    {
        var interop = typeof(SeveralServersTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "InteropDirectory").Value!;
        Assert.True(Directory.Exists(Path.Combine(interop, "node_modules", "@workos", "authkit-session")),
            $"the npm packages are not installed in {interop}: run ./test.sh (it runs npm ci there)");
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = interop,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("emulator-app.mjs");
        start.ArgumentList.Add(cookieValue);
        foreach (var (name, value) in fixture.WorkOSEnvironment)
        {
            start.Environment[name] = value;
        }

        await using var node = ChildProcess.Start(start);
        var exitCode = await node.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exitCode == 0, $"the Node app exited with {exitCode}:{Environment.NewLine}{node.Output}");
        return JsonDocument.Parse(node.StandardOutput).RootElement.Clone();
    }

    /// <summary><c>POST /auth/session</c> (what a circuit asks the browser to send) with <paramref name="cookie"/>, to a given server or round robin.</summary>
    private async Task<SessionAnswer> AskSessionAsync(string cookie, int? server)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url("/auth/session"));
        request.Headers.Add("Cookie", cookie);
        request.Headers.Add("X-AuthKit-Session", "1");
        if (server is { } pinned)
        {
            request.Headers.Add(LoadBalancer.PinHeader, pinned.ToString(CultureInfo.InvariantCulture));
        }

        using var response = await SessionClient.SendAsync(request);
        var wroteCookie = response.Headers.TryGetValues("Set-Cookie", out var setCookies) && setCookies.Any(c => c.StartsWith("wos-session", StringComparison.Ordinal));
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return new SessionAnswer(response.StatusCode, false, null, null, wroteCookie);
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var authenticated = body.GetProperty("authenticated").GetBoolean();
        return new SessionAnswer(response.StatusCode, authenticated,
            authenticated ? body.GetProperty("sessionId").GetString() : null,
            body.TryGetProperty("expiresAt", out var e) && e.ValueKind == JsonValueKind.Number ? e.GetInt64() : null,
            wroteCookie);
    }

    private static readonly HttpClient SessionClient = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, MaxConnectionsPerServer = 256 })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    private sealed record SessionAnswer(HttpStatusCode Status, bool Authenticated, string? SessionId, long? ExpiresAt, bool WroteSessionCookie);

    private void AssertNoServerErrors()
    {
        // A request the browser gives up on (a tab navigating away from a loading script, a circuit's WebSocket or its
        // disconnect beacon when the tab unloads) ends "canceled" or by the client: not a server error. Anything the
        // server side caused (5xx, an unreachable or failing server) is.
        var errors = Balancer.Requests.Where(r => r.Status >= 500 || (r.ForwarderError is { } e
            && !e.EndsWith("Canceled", StringComparison.Ordinal) && !e.EndsWith("Client", StringComparison.Ordinal))).ToList();
        Assert.True(errors.Count == 0, "the load balancer saw server errors:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
    }

    /// <summary>Runs a browser scenario in a fresh context; saves artifacts (with every server's log) when it fails; fails on console errors.</summary>
    private Task RunAsync(Func<BrowserSession, Task> scenario, [CallerMemberName] string testName = "")
    {
        Balancer.ClearLog();
        return BrowserSession.RunScenarioAsync(fixture.Browser, Balancer.BaseUri, testName,
            () => fixture.ServersOutput + Environment.NewLine + "== load balancer" + Environment.NewLine + string.Join(Environment.NewLine, Balancer.Requests),
            output, scenario);
    }

    public void Dispose() => _emulator.Dispose();
}
