using System.Globalization;

namespace AuthKit.E2E.Tests;

/// <summary>
/// One running sample (dev mode, short access-token lifetime) and one headless Debian Chromium for the whole suite;
/// every test gets its own <see cref="IBrowserContext"/>.
/// </summary>
public class SampleAppFixture : IAsyncLifetime
{
    /// <summary>The emulator's access-token lifetime: short, so refreshes happen within seconds.</summary>
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromSeconds(10);

    /// <summary>How often an open circuit re-checks its session at the latest.</summary>
    public static readonly TimeSpan RevalidationInterval = TimeSpan.FromSeconds(1);

    /// <summary>How often WebAssembly pages check the session (Sample:SessionCheckInterval).</summary>
    public static readonly TimeSpan SessionCheckInterval = TimeSpan.FromSeconds(2);

    /// <summary>How long before expiry a session is refreshed.</summary>
    public static readonly TimeSpan RefreshBuffer = TimeSpan.FromSeconds(2);

    /// <summary>Whether the sample prerenders its interactive pages (its default). Default true.</summary>
    protected virtual bool Prerender => true;

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private SampleAppProcess? _app;

    /// <summary>The running sample.</summary>
    public SampleAppProcess App => _app ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <summary>The shared browser.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <summary>Where screenshots and failure artifacts go: <c>screenshots/</c> under the test output directory.</summary>
    public static string ArtifactsDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ArtifactsDirectory);
        Chromium.EnsureInstalled();

        _app = await SampleAppProcess.StartAsync(new Dictionary<string, string>
        {
            ["AuthKit__Emulator__AccessTokenLifetime"] = AccessTokenLifetime.ToString("c", CultureInfo.InvariantCulture),
            ["AuthKit__RevalidationInterval"] = RevalidationInterval.ToString("c", CultureInfo.InvariantCulture),
            ["AuthKit__RefreshBuffer"] = RefreshBuffer.ToString("c", CultureInfo.InvariantCulture),
            ["Sample__Prerender"] = Prerender ? "true" : "false",
            ["Sample__SessionCheckInterval"] = SessionCheckInterval.ToString("c", CultureInfo.InvariantCulture),
        });

        // Generous for a loaded 2-core CI machine; waits tied to token lifetimes set their own timeouts.
        Assertions.SetDefaultExpectTimeout(10_000);
        _playwright = await Playwright.CreateAsync();
        // evil.test is the cross-site attacker of CrossSiteTests: a page server on loopback under another site's name.
        _browser = await Chromium.LaunchAsync(_playwright, "--host-resolver-rules=MAP evil.test 127.0.0.1");
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(ArtifactsDirectory, Prerender ? "sample-app.log" : "sample-app-not-prerendered.log"), _app.Output);
            await _app.DisposeAsync();
        }
    }
}

/// <summary>The same sample with prerendering off: every interactive page is rendered by its circuit only.</summary>
public sealed class NotPrerenderedSampleAppFixture : SampleAppFixture
{
    protected override bool Prerender => false;
}

[CollectionDefinition(Name)]
public sealed class NotPrerenderedSampleAppCollection : ICollectionFixture<NotPrerenderedSampleAppFixture>
{
    public const string Name = "Sample app without prerendering in Chromium";
}

[CollectionDefinition(Name)]
public sealed class SampleAppCollection : ICollectionFixture<SampleAppFixture>
{
    public const string Name = "Sample app in Chromium";
}
