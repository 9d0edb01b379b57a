using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Nodes;
using AuthKit.Benchmarks.Fixtures;
using AuthKit.Blazor;
using AuthKit.Redis.Tests.TestSupport;
using AuthKit.Session;
using AuthKit.Testing;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AuthKit.Benchmarks.Load;

/// <summary>
/// Item R: a sign-out on one server reaching an open circuit of the same session on another. Two AuthKit servers in
/// this process (each its own Kestrel host and container with <c>AddAuthKit(...).UseRedis(...)</c>, the key ring in the
/// same Redis) on one redis-server this benchmark starts. Each round signs a new session in (emulator), opens a circuit
/// for it on server B (the circuit's DI scope, <see cref="AuthKitAuthenticationStateProvider"/> with its revalidator and
/// the AuthKit circuit handler, as <c>AddAuthKit()</c> registers them, started with the principal B's scheme built for
/// the session cookie, as the host hands it to a new circuit), then posts the real sign-out form to server A
/// (<c>POST /auth/sign-out</c> with the session cookie and an antiforgery token A issued), and times until B's provider
/// raises <c>AuthenticationStateChanged</c> with an anonymous user: from the start of the POST and from its response.
/// B learns of it through the store's pub/sub notification and revalidates at once (only the circuit of the tab that
/// posted the sign-out waits, which B's circuit is not). A few rounds run at once (each its own session), so the rounds' waits overlap.
/// </summary>
public static class CrossServerSignOut
{
    public const string EntryPoint = "the HTTP `POST /auth/sign-out` endpoint on server A with an antiforgery token from A, circuit on server B";

    public static async Task<JsonObject> RunAsync(int rounds, int parallel, int warmUpRounds = 8)
    {
        using var redis = await RedisServerProcess.StartAsync().ConfigureAwait(false);
        await using var emulator = await WorkOSEmulator.StartAsync(new WorkOSEmulatorOptions { AccessTokenLifetime = TimeSpan.FromHours(2) }).ConfigureAwait(false);
        void AuthKit(IServiceCollection services) => services.AddAuthKit(o =>
        {
            emulator.ConfigureAuthKit(o);
            o.RedirectUri = "http://127.0.0.1/callback";
            o.CookiePassword = BenchData.CookiePassword;
        }).UseRedis(o =>
        {
            o.Configuration = redis.Address;
            o.DataProtectionApplicationName = "authkit-bench"; // as several servers of one app are deployed
        });

        var principals = new ConcurrentDictionary<string, ClaimsPrincipal>(StringComparer.Ordinal);
        await using var serverA = await HttpBenchmark.StartAsync(AuthKit, app =>
        {
            app.MapAuthKit();
            app.MapGet("/antiforgery", (HttpContext ctx, IAntiforgery antiforgery) =>
            {
                var tokens = antiforgery.GetAndStoreTokens(ctx);
                return TypedResults.Json(new JsonObject { ["field"] = tokens.FormFieldName, ["token"] = tokens.RequestToken });
            });
        }).ConfigureAwait(false);
        await using var serverB = await HttpBenchmark.StartAsync(AuthKit, app =>
        {
            app.MapAuthKit();
            // What the host hands a new circuit: the principal the AuthKit scheme built for the _blazor request.
            app.MapGet("/_circuit", (HttpContext ctx, string round) =>
            {
                principals[round] = ctx.User;
                return ctx.User.Identity?.IsAuthenticated == true ? "ok" : "anonymous";
            });
        }).ConfigureAwait(false);

        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });
        var roundIds = 0;

        async Task<Sample> RoundAsync()
        {
            var round = Interlocked.Increment(ref roundIds).ToString(CultureInfo.InvariantCulture);
            var session = emulator.SignIn("alice@example.com", "org_acme").ToSession();
            var sessionCookie = "wos-session=" + new SessionEncryption().SealSession(session, BenchData.CookiePassword);

            // The circuit on B.
            using (var opened = await SendAsync(client, HttpMethod.Get, new Uri(serverB.BaseUri, "/_circuit?round=" + round), sessionCookie).ConfigureAwait(false))
            {
                var body = await opened.Content.ReadAsStringAsync().ConfigureAwait(false);
                if (body != "ok") throw new InvalidOperationException($"Server B did not sign the session in: {(int)opened.StatusCode} {body}");
            }

            principals.TryRemove(round, out var principal);
            await using var scope = serverB.Services.CreateAsyncScope();
            var provider = (AuthKitAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
            provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(principal!)));
            var handler = scope.ServiceProvider.GetServices<CircuitHandler>().OfType<AuthKitCircuitHandler>().Single();
            var flipped = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            provider.AuthenticationStateChanged += async state =>
            {
                var user = (await state.ConfigureAwait(false)).User;
                if (user.Identity?.IsAuthenticated != true) flipped.TrySetResult(Stopwatch.GetTimestamp());
            };
            await handler.OnCircuitOpenedAsync(null!, CancellationToken.None).ConfigureAwait(false);
            await handler.OnConnectionUpAsync(null!, CancellationToken.None).ConfigureAwait(false);
            try
            {
                if (!provider.Session.IsAuthenticated) throw new InvalidOperationException("The circuit on server B did not start signed in.");

                // The sign-out form on A: a token A issued for this user (with its antiforgery cookie), then the POST.
                using var tokenResponse = await SendAsync(client, HttpMethod.Get, new Uri(serverA.BaseUri, "/antiforgery"), sessionCookie).ConfigureAwait(false);
                var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonObject>().ConfigureAwait(false))!;
                var antiforgeryCookies = tokenResponse.Headers.TryGetValues("Set-Cookie", out var set) ? set.Select(h => h.Split(';', 2)[0]) : [];
                var form = new FormUrlEncodedContent(new Dictionary<string, string> { [token["field"]!.GetValue<string>()] = token["token"]!.GetValue<string>() });
                var cookies = string.Join("; ", antiforgeryCookies.Prepend(sessionCookie));

                var start = Stopwatch.GetTimestamp();
                using var signOut = await SendAsync(client, HttpMethod.Post, new Uri(serverA.BaseUri, "/auth/sign-out"), cookies, form).ConfigureAwait(false);
                var returned = Stopwatch.GetTimestamp();
                if (signOut.StatusCode != HttpStatusCode.Redirect || signOut.Headers.Location?.AbsolutePath.Contains("logout", StringComparison.Ordinal) != true)
                {
                    throw new InvalidOperationException($"The sign-out on server A was not accepted: {(int)signOut.StatusCode} {signOut.Headers.Location}");
                }

                long at;
                try
                {
                    at = await flipped.Task.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    return new Sample(Stopwatch.GetElapsedTime(start, returned).TotalMilliseconds, null, null);
                }

                return new Sample(Stopwatch.GetElapsedTime(start, returned).TotalMilliseconds, Stopwatch.GetElapsedTime(start, at).TotalMilliseconds, Stopwatch.GetElapsedTime(returned, at).TotalMilliseconds);
            }
            finally
            {
                await handler.OnCircuitClosedAsync(null!, CancellationToken.None).ConfigureAwait(false);
            }
        }

        async Task<List<Sample>> RunRoundsAsync(int count)
        {
            var samples = new ConcurrentBag<Sample>();
            var next = 0;
            var workers = Enumerable.Range(0, Math.Max(1, parallel)).Select(_ => Task.Run(async () =>
            {
                while (Interlocked.Increment(ref next) <= count)
                {
                    samples.Add(await RoundAsync().ConfigureAwait(false));
                }
            }));
            await Task.WhenAll(workers).ConfigureAwait(false);
            return [.. samples];
        }

        var warmUpStart = Stopwatch.GetTimestamp();
        await RunRoundsAsync(warmUpRounds).ConfigureAwait(false);
        Console.WriteLine($"cross-signout: warm-up {warmUpRounds} rounds in {Stopwatch.GetElapsedTime(warmUpStart).TotalSeconds:F1} s");
        var measuredStart = Stopwatch.GetTimestamp();
        var all = await RunRoundsAsync(rounds).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(measuredStart).TotalSeconds;
        var fromStart = all.Where(s => s.FromStartMs is not null).Select(s => s.FromStartMs!.Value).ToList();
        var fromReturn = all.Where(s => s.FromReturnMs is not null).Select(s => s.FromReturnMs!.Value).ToList();
        var calls = all.Select(s => s.SignOutCallMs).ToList();
        var notFlipped = all.Count(s => s.FromStartMs is null);
        if (fromStart.Count == 0) throw new InvalidOperationException("No circuit on server B was signed out within 5 s of a sign-out on server A.");
        Console.WriteLine($"cross-signout: {all.Count} rounds in {seconds:F1} s ({parallel} at once): from the POST's start p50 {RefreshStorm.Percentile(fromStart, 0.5):F1} ms p99 {RefreshStorm.Percentile(fromStart, 0.99):F1} ms; from its response p50 {RefreshStorm.Percentile(fromReturn, 0.5):F1} ms p99 {RefreshStorm.Percentile(fromReturn, 0.99):F1} ms; not flipped within 5 s: {notFlipped}");

        return new JsonObject
        {
            ["entryPoint"] = EntryPoint,
            ["rounds"] = all.Count,
            ["parallel"] = parallel,
            ["seconds"] = seconds,
            ["fromStartP50Ms"] = RefreshStorm.Percentile(fromStart, 0.50),
            ["fromStartP99Ms"] = RefreshStorm.Percentile(fromStart, 0.99),
            ["fromStartMaxMs"] = fromStart.Max(),
            ["fromReturnP50Ms"] = RefreshStorm.Percentile(fromReturn, 0.50),
            ["fromReturnP99Ms"] = RefreshStorm.Percentile(fromReturn, 0.99),
            ["signOutCallP50Ms"] = RefreshStorm.Percentile(calls, 0.50),
            ["signOutCallP99Ms"] = RefreshStorm.Percentile(calls, 0.99),
            ["notFlipped"] = notFlipped,
        };
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, Uri uri, string cookies, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Headers.TryAddWithoutValidation("Cookie", cookies);
        return client.SendAsync(request);
    }

    /// <summary>One round: the sign-out POST's own latency, and when B's circuit flipped (null: not within 5 s).</summary>
    private readonly record struct Sample(double SignOutCallMs, double? FromStartMs, double? FromReturnMs);
}
