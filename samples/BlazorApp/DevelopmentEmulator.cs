using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using AuthKit.Testing;

namespace BlazorApp;

/// <summary>
/// Dev mode: when the app runs in Development and no WorkOS client id is configured, start the built-in
/// <see cref="WorkOSEmulator"/> on a loopback port with the demo users and point AuthKit at it.
/// </summary>
internal static partial class DevelopmentEmulator
{
    /// <summary>The sample's OAuth callback path (the path of the redirect URI).</summary>
    public const string CallbackPath = "/auth/callback";

    private const string DefaultUrl = "http://localhost:5000";

    /// <summary>
    /// Starts the emulator and feeds its settings (client id, API key, API host and port, redirect URI and a
    /// per-run cookie password) into <paramref name="builder"/>'s configuration, or returns <see langword="null"/>
    /// when WorkOS is configured or the environment is not Development.
    /// </summary>
    public static async Task<WorkOSEmulator?> StartIfNeededAsync(WebApplicationBuilder builder, CancellationToken cancellationToken = default)
    {
        if (!builder.Environment.IsDevelopment() || IsWorkOSConfigured(builder.Configuration))
        {
            return null;
        }

        var redirectUri = GetRedirectUri(builder.Configuration);
        var section = builder.Configuration.GetSection("AuthKit:Emulator");
        var accessTokenLifetime = section.GetValue("AccessTokenLifetime", TimeSpan.FromMinutes(5));
        var options = new WorkOSEmulatorOptions
        {
            Port = section.GetValue("Port", 0),
            AccessTokenLifetime = accessTokenLifetime,
            Seed = CreateSeed(),
        };
        var emulator = await WorkOSEmulator.StartAsync(options, cancellationToken);

        var settings = new Dictionary<string, string?>(emulator.GetAuthKitConfiguration("AuthKit"))
        {
            ["AuthKit:RedirectUri"] = redirectUri,
            ["AuthKit:CookiePassword"] = CreateCookiePassword(),
        };

        // A very short token lifetime (for watching refreshes happen) needs a refresh buffer shorter than the
        // default 60 seconds, or every request would refresh.
        if (builder.Configuration["AuthKit:RefreshBuffer"] is null && accessTokenLifetime < TimeSpan.FromMinutes(3))
        {
            settings["AuthKit:RefreshBuffer"] = (accessTokenLifetime / 3).ToString("c", CultureInfo.InvariantCulture);
        }

        builder.Configuration.AddInMemoryCollection(settings);
        return emulator;
    }

    /// <summary>
    /// The demo data plus two users for the sign-in steps WorkOS can ask for: <c>dana@example.com</c> belongs to Acme Corp
    /// and Globex and picks the organization in the app (WorkOS's <c>organization_selection_required</c>, answered by
    /// AuthKit's chooser), and <c>erin@example.com</c> has an unverified email (<c>email_verification_required</c>; the code
    /// is printed in the emulator's control surface, <c>GET /_emulator/email-verifications?email=erin@example.com</c>).
    /// </summary>
    public static EmulatorSeed CreateSeed()
    {
        var seed = EmulatorSeed.Demo;
        seed.Users.Add(new EmulatorUser { Id = "user_dana", Email = "dana@example.com", FirstName = "Dana", LastName = "Diaz", Password = "password", PicksOrganizationInApplication = true });
        seed.Users.Add(new EmulatorUser { Id = "user_erin", Email = "erin@example.com", FirstName = "Erin", LastName = "Evans", Password = "password", EmailVerified = false });
        foreach (var organization in seed.Organizations)
        {
            organization.Memberships.Add(new EmulatorMembership { Id = "om_dana_" + organization.Id["org_".Length..], UserId = "user_dana", Role = "member" });
        }

        return seed;
    }

    /// <summary>Whether a WorkOS client id is configured (<c>AuthKit:ClientId</c> or <c>WORKOS_CLIENT_ID</c>).</summary>
    public static bool IsWorkOSConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["AuthKit:ClientId"])
        || !string.IsNullOrWhiteSpace(configuration["WORKOS_CLIENT_ID"])
        || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("WORKOS_CLIENT_ID"));

    /// <summary>
    /// The callback URL on the app's own origin: the first of <c>--urls</c> / <c>ASPNETCORE_URLS</c> (set by
    /// launchSettings.json under <c>dotnet run</c>), or <c>http://localhost:5000</c>. Wildcard hosts become localhost.
    /// </summary>
    public static string GetRedirectUri(IConfiguration configuration)
    {
        var urls = configuration["urls"];
        var first = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (first is null && configuration["http_ports"] is { Length: > 0 } ports)
        {
            first = $"http://localhost:{ports.Split(';', ',')[0].Trim()}";
        }

        first ??= DefaultUrl;
        first = WildcardHost().Replace(first, "://localhost");

        var origin = new Uri(first, UriKind.Absolute);
        if (origin.Port == 0)
        {
            throw new InvalidOperationException(
                "The sample's dev mode needs a fixed port in --urls / ASPNETCORE_URLS (port 0 is not supported): the WorkOS redirect URI is derived from it.");
        }

        return new Uri(origin, CallbackPath).ToString();
    }

    private static string CreateCookiePassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex(@"://(\*|\+|0\.0\.0\.0|\[::\])(?=[:/]|$)")]
    private static partial Regex WildcardHost();

    /// <summary>Logs the single dev-mode line.</summary>
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "No WorkOS client id configured: using the built-in WorkOS emulator at {EmulatorUri} with demo users alice@example.com, bob@example.com and charlie@example.com (dana@example.com chooses an organization in the app, erin@example.com verifies her email). To use real WorkOS instead, set WORKOS_CLIENT_ID, WORKOS_API_KEY, WORKOS_REDIRECT_URI and WORKOS_COOKIE_PASSWORD.")]
    public static partial void LogUsingEmulator(ILogger logger, Uri emulatorUri);

    /// <summary>Logs how to call the sample's machine API with the emulator's demo API key.</summary>
    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "Demo WorkOS API key for the machine API: curl -H \"Authorization: Bearer {ApiKey}\" {AppOrigin}api/posts")]
    public static partial void LogDemoApiKey(ILogger logger, string apiKey, string appOrigin);
}
