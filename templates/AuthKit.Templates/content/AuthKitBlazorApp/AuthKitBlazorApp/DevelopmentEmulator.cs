using System.Security.Cryptography;
using AuthKit.Testing;

namespace AuthKitBlazorApp;

/// <summary>
/// Development without WorkOS: when the app runs in Development and no WorkOS client id is configured, starts the
/// built-in WorkOS emulator (AuthKit.Testing) on a free loopback port with demo users and points AuthKit at it.
/// Delete this file, its call in Program.cs and the AuthKit.Testing package reference once you use WorkOS.
/// </summary>
internal static class DevelopmentEmulator
{
    private const string CallbackPath = "/auth/callback";

    /// <summary>Starts the emulator and configures AuthKit for it, or returns null (WorkOS configured, or not Development).</summary>
    public static async Task<WorkOSEmulator?> StartIfNeededAsync(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (!builder.Environment.IsDevelopment()
            || !string.IsNullOrWhiteSpace(configuration["AuthKit:ClientId"])
            || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("WORKOS_CLIENT_ID")))
        {
            return null;
        }

        var emulator = await WorkOSEmulator.StartAsync(new WorkOSEmulatorOptions { Seed = EmulatorSeed.Demo });
        var settings = new Dictionary<string, string?>(emulator.GetAuthKitConfiguration("AuthKit"))
        {
            ["AuthKit:RedirectUri"] = new Uri(GetAppOrigin(configuration), CallbackPath).ToString(),
            // A new secret per run: sessions end when the app restarts, which is fine for development.
            ["AuthKit:CookiePassword"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
        };
        configuration.AddInMemoryCollection(settings);
        return emulator;
    }

    /// <summary>The app's own origin: the first of --urls / ASPNETCORE_URLS (launchSettings.json sets it for dotnet run).</summary>
    private static Uri GetAppOrigin(IConfiguration configuration)
    {
        var first = configuration["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
            ?? "http://localhost:5000";
        var origin = new UriBuilder(first.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal));
        if (origin.Port == 0)
        {
            throw new InvalidOperationException("The development emulator needs a fixed port in --urls / ASPNETCORE_URLS: the redirect URI is derived from it.");
        }

        return origin.Uri;
    }
}
