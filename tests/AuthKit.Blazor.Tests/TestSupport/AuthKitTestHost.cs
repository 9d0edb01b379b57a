using System.Net;
using AuthKit.Session;
using AuthKit.Testing;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Blazor.Tests.TestSupport;

/// <summary>
/// An in-memory (TestServer) app using <c>AddAuthKit()</c> + <c>MapAuthKit()</c> against a real <see cref="WorkOSEmulator"/>
/// on loopback. Host and emulator share one <see cref="FakeTimeProvider"/>, so tests expire tokens without sleeping.
/// </summary>
internal sealed class AuthKitTestHost : IAsyncDisposable
{
    public const string CookiePassword = "integration-test-cookie-password-0123456789";

    private readonly bool _ownsEmulator;

    private AuthKitTestHost(WebApplication app, WorkOSEmulator emulator, FakeTimeProvider time, bool ownsEmulator)
    {
        App = app;
        Emulator = emulator;
        Time = time;
        _ownsEmulator = ownsEmulator;
    }

    public WebApplication App { get; }
    public WorkOSEmulator Emulator { get; }
    public FakeTimeProvider Time { get; }
    public TestServer Server => App.GetTestServer();
    public IServiceProvider Services => App.Services;

    public static Task<AuthKitTestHost> StartAsync(Action<IAuthKitBuilder>? configure = null, Action<WebApplication>? map = null) =>
        StartAsync(configure, map, emulatorOptions: null);

    /// <summary>
    /// Another server of the same app: its own process state (engine, in-memory store, caches), the same emulator, clock and
    /// cookie password as <paramref name="sibling"/>. Dispose it before the sibling, which owns the emulator.
    /// </summary>
    public static Task<AuthKitTestHost> StartSiblingAsync(AuthKitTestHost sibling, Action<IAuthKitBuilder>? configure = null, Action<WebApplication>? map = null) =>
        StartAsync(configure, map, emulatorOptions: null, sharedWith: sibling);

    /// <summary>
    /// Starts a host. <paramref name="emulatorOptions"/> adjusts the emulator's options (seed, lifetimes);
    /// <paramref name="sharedWith"/> makes this host a second server of another host's app: the same emulator and clock
    /// (not disposed here), and <paramref name="services"/> can register what the servers share (data protection keys).
    /// </summary>
    public static async Task<AuthKitTestHost> StartAsync(Action<IAuthKitBuilder>? configure, Action<WebApplication>? map,
        Action<WorkOSEmulatorOptions>? emulatorOptions, AuthKitTestHost? sharedWith = null, Action<IServiceCollection>? services = null)
    {
        var time = sharedWith?.Time ?? new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new WorkOSEmulatorOptions { TimeProvider = time, AccessTokenLifetime = TimeSpan.FromMinutes(5) };
        emulatorOptions?.Invoke(options);
        var emulator = sharedWith?.Emulator ?? await WorkOSEmulator.StartAsync(options);
        try
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseTestServer();
            builder.Logging.ClearProviders();
            foreach (var (key, value) in emulator.GetAuthKitConfiguration())
            {
                builder.Configuration[key] = value;
            }

            builder.Configuration["AuthKit:RedirectUri"] = "http://localhost/auth/callback";
            builder.Configuration["AuthKit:CookiePassword"] = CookiePassword;
            builder.Services.AddSingleton<TimeProvider>(time);
            builder.Services.AddRouting();
            services?.Invoke(builder.Services);
            var authKit = builder.Services.AddAuthKit();
            configure?.Invoke(authKit);

            var app = builder.Build();
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapAuthKit();
            app.MapGet("/", (HttpContext ctx) => ctx.User.Identity?.IsAuthenticated == true ? "home:" + ctx.User.GetAuthResult().User!.Email : "home:anonymous");
            app.MapGet("/protected", (HttpContext ctx) => "protected:" + ctx.User.GetAuthResult().User!.Email).RequireAuthorization();
            app.MapGet("/admin", () => "admin").RequireAuthorization("permission:admin:read");
            app.MapGet("/api/me", (HttpContext ctx) =>
            {
                var auth = ctx.User.GetAuthResult();
                return TypedResults.Json(new Me(auth.User!.Email, auth.SessionId, auth.OrganizationId, auth.Role, auth.AccessTokenExpiresAt?.ToUnixTimeSeconds()));
            }).RequireAuthorization();
            app.MapGet("/antiforgery", (HttpContext ctx, IAntiforgery antiforgery) =>
            {
                var tokens = antiforgery.GetAndStoreTokens(ctx);
                return TypedResults.Json(new Token(tokens.FormFieldName, tokens.RequestToken!));
            });
            map?.Invoke(app);
            await app.StartAsync();
            return new AuthKitTestHost(app, emulator, time, ownsEmulator: sharedWith is null);
        }
        catch
        {
            if (sharedWith is null)
            {
                await emulator.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>A new browser (own cookie jar) talking to the app.</summary>
    public TestBrowser NewBrowser() => new(this);

    /// <summary>Signs a browser in through the real flow: sign-in endpoint -> emulator (auto mode) -> callback.</summary>
    public async Task<HttpResponseMessage> SignInAsync(TestBrowser browser, string email = "alice@example.com", string? organizationId = "org_acme", string returnPathname = "/", string? extraQuery = null)
    {
        Emulator.SetAutoSignIn(email, organizationId);
        var start = await browser.GetAsync("/auth/sign-in?returnPathname=" + Uri.EscapeDataString(returnPathname) + (extraQuery is null ? "" : "&" + extraQuery));
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var authorize = start.Headers.Location!;
        Assert.StartsWith(Emulator.BaseUri.ToString(), authorize.ToString(), StringComparison.Ordinal);

        using var emulatorClient = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var atEmulator = await emulatorClient.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, atEmulator.StatusCode);
        var callback = atEmulator.Headers.Location!;
        Assert.Equal("/auth/callback", callback.AbsolutePath);
        return await browser.GetAsync(callback.PathAndQuery);
    }

    /// <summary>Advances the shared clock (host and emulator).</summary>
    public void Advance(TimeSpan by) => Time.Advance(by);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        if (_ownsEmulator)
        {
            await Emulator.DisposeAsync();
        }
    }

    internal sealed record Me(string Email, string? SessionId, string? OrganizationId, string? Role, long? ExpiresAt);

    internal sealed record Token(string FieldName, string Value);
}
