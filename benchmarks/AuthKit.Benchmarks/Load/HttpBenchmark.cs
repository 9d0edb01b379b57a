using System.Net;
using System.Security.Claims;
using System.Text.Json.Nodes;
using AuthKit.Benchmarks.Fixtures;
using AuthKit.Session;
using AuthKit.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AuthKit.Benchmarks.Load;

/// <summary>
/// Item 6: requests/s of the same minimal <c>[Authorize]</c> endpoint on two Kestrel hosts in this process: one whose
/// only scheme is AuthKit (<c>AddAuthKit()</c>, cookie sealed from an emulator sign-in, JWKS from the emulator), one
/// with ASP.NET Core cookie authentication (ticket with the same claims and both tokens, written by its own sign-in).
/// Rounds alternate between the two so machine noise hits both alike.
/// </summary>
public static class HttpBenchmark
{
    public const string Path = "/hello";

    public static async Task<JsonObject> RunAsync(TimeSpan duration, int rounds, LoadGenerator load)
    {
        await using var emulator = await WorkOSEmulator.StartAsync(new WorkOSEmulatorOptions { AccessTokenLifetime = TimeSpan.FromHours(2) }).ConfigureAwait(false);
        var signIn = emulator.SignIn("alice@example.com", "org_acme");
        var session = signIn.ToSession();
        var authKitCookie = "wos-session=" + new SessionEncryption().SealSession(session, BenchData.CookiePassword);

        await using var authKitApp = await StartAsync(services => services.AddAuthKit(o =>
        {
            emulator.ConfigureAuthKit(o);
            o.RedirectUri = "http://127.0.0.1/callback";
            o.CookiePassword = BenchData.CookiePassword;
        })).ConfigureAwait(false);
        await using var cookieApp = await StartAsync(
            services => services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(),
            app => app.MapPost("/signin", async (HttpContext context) =>
            {
                var ticket = TicketBaseline.CreateTicket(session, CookieAuthenticationDefaults.AuthenticationScheme);
                await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, ticket.Principal, ticket.Properties).ConfigureAwait(false);
            }).AllowAnonymous()).ConfigureAwait(false);

        var cookieAuthCookie = await SignInWithCookieAuthAsync(cookieApp.BaseUri).ConfigureAwait(false);
        await EnsureSignedInAsync(authKitApp.BaseUri, authKitCookie).ConfigureAwait(false);
        await EnsureSignedInAsync(cookieApp.BaseUri, cookieAuthCookie).ConfigureAwait(false);

        var authKitUrl = new Uri(authKitApp.BaseUri, Path);
        var cookieUrl = new Uri(cookieApp.BaseUri, Path);
        // Warm-up both (JIT, connection pools, caches).
        var warmUp = duration < TimeSpan.FromSeconds(2) ? duration : TimeSpan.FromSeconds(2);
        await load.RunAsync(cookieUrl, cookieAuthCookie, warmUp).ConfigureAwait(false);
        await load.RunAsync(authKitUrl, authKitCookie, warmUp).ConfigureAwait(false);

        var authKitRuns = new JsonArray();
        var cookieRuns = new JsonArray();
        var authKitRps = new List<double>();
        var cookieRps = new List<double>();
        long failures = 0;
        for (var round = 0; round < rounds; round++)
        {
            var c = await load.RunAsync(cookieUrl, cookieAuthCookie, duration).ConfigureAwait(false);
            var a = await load.RunAsync(authKitUrl, authKitCookie, duration).ConfigureAwait(false);
            cookieRps.Add(c.RequestsPerSecond);
            authKitRps.Add(a.RequestsPerSecond);
            cookieRuns.Add(c.RequestsPerSecond);
            authKitRuns.Add(a.RequestsPerSecond);
            failures += a.Failures + c.Failures;
            Console.WriteLine($"http: round {round + 1}: cookie auth {c.RequestsPerSecond:F0} req/s, AuthKit {a.RequestsPerSecond:F0} req/s");
        }

        var counts = emulator.RequestCounts;
        return new JsonObject
        {
            ["loadGenerator"] = load.Name,
            ["secondsPerRun"] = duration.TotalSeconds,
            ["rounds"] = rounds,
            ["authKitRps"] = Median(authKitRps),
            ["cookieRps"] = Median(cookieRps),
            ["authKitRuns"] = authKitRuns,
            ["cookieRuns"] = cookieRuns,
            ["failures"] = failures,
            ["authKitCookieLength"] = authKitCookie.Length,
            ["cookieAuthCookieLength"] = cookieAuthCookie.Length,
            ["emulatorRefreshCalls"] = counts.RefreshToken,
            ["emulatorJwksCalls"] = counts.Jwks,
        };
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static async Task<string> SignInWithCookieAuthAsync(Uri baseUri)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false });
        using var response = await client.PostAsync(new Uri(baseUri, "/signin"), content: null).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var pairs = response.Headers.GetValues("Set-Cookie").Select(h => h.Split(';', 2)[0]);
        return string.Join("; ", pairs);
    }

    internal static async Task EnsureSignedInAsync(Uri baseUri, string cookieHeader)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, Path));
        request.Headers.TryAddWithoutValidation("Cookie", cookieHeader);
        using var response = await client.SendAsync(request).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK || !body.Contains("user_", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{baseUri} did not accept the cookie: {(int)response.StatusCode} {body}");
        }

        if (response.Headers.Contains("Set-Cookie"))
        {
            throw new InvalidOperationException($"{baseUri} rewrote the cookie on a plain request; the benchmark would measure refreshes.");
        }
    }

    internal static async Task<RunningApp> StartAsync(Action<IServiceCollection> configureServices, Action<WebApplication>? map = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        configureServices(builder.Services);
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet(Path, (ClaimsPrincipal user) => "hello " + (user.FindFirst("sub")?.Value ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value)).RequireAuthorization();
        map?.Invoke(app);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningApp(app, new Uri(address));
    }

    internal sealed class RunningApp(WebApplication app, Uri baseUri) : IAsyncDisposable
    {
        public Uri BaseUri { get; } = baseUri;

        public IServiceProvider Services => app.Services;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
