using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using AuthKit.E2E.Tests;

namespace AuthKit.NewApp.Tests;

/// <summary>
/// Shared by every new-app test (one pack for all): the solution packed (no build: test.sh built it) with a version of
/// its own into a temporary local feed, a temporary folder with a nuget.config (the feed for AuthKit.*, nuget.org for the
/// rest), and one headless Chromium. Removes the folder and the packed version's entries in the NuGet package cache after.
/// </summary>
public sealed class NewAppFixture : IAsyncLifetime
{
    /// <summary>Bounds for the CLI steps on a loaded 2-core machine.</summary>
    public static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Bound for a restore + build of a new app.</summary>
    public static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    private readonly List<string> _timings = [];
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The repository root (where README.md and AuthKit.Blazor.sln are).</summary>
    public string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    /// <summary>The configuration test.sh built the solution in.</summary>
    public string Configuration { get; } = Metadata("Configuration");

    /// <summary>
    /// The version these packages get: the repository's version prefix with a prerelease label unique to this run, so
    /// NuGet's package cache never serves a package packed by an earlier run.
    /// </summary>
    public string PackageVersion { get; private set; } = "";

    /// <summary>The temporary folder holding the feed, nuget.config and the apps (outside the repository: no Directory.Build.props applies).</summary>
    public string WorkDirectory { get; } = Path.Combine(Path.GetTempPath(), "authkit-newapp-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));

    /// <summary>The local feed with every packed .nupkg.</summary>
    public string FeedDirectory => Path.Combine(WorkDirectory, "feed");

    /// <summary>The shared browser.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <summary>How long the shared steps took (pack, browser start), for the test output.</summary>
    public IReadOnlyList<string> Timings => _timings;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(FeedDirectory);
        var stamp = "r" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
        PackageVersion = $"{ReadVersionPrefix()}-newapp.{stamp}";

        var stopwatch = Stopwatch.StartNew();
        await Dotnet.RunAsync(RepositoryRoot,
            ["pack", Path.Combine(RepositoryRoot, "AuthKit.Blazor.sln"), "-c", Configuration, "--no-build", "-nologo", "-v", "q",
             $"-p:VersionSuffix=newapp.{stamp}", $"-p:PackageOutputPath={FeedDirectory}/"],
            PackTimeout);
        _timings.Add($"pack of the solution (no build): {stopwatch.Elapsed.TotalSeconds:F1} s");

        await File.WriteAllTextAsync(Path.Combine(WorkDirectory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="authkit-local" value="{FeedDirectory}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="authkit-local"><package pattern="AuthKit.*" /></packageSource>
                <packageSource key="nuget.org"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """);

        stopwatch.Restart();
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
        _timings.Add($"Chromium start: {stopwatch.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>The packed .nupkg files (file name and size in bytes).</summary>
    public IReadOnlyList<(string Name, long Bytes)> Packages =>
        [.. new DirectoryInfo(FeedDirectory).GetFiles("*.*nupkg").OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => (f.Name, f.Length))];

    /// <summary>A new empty folder under <see cref="WorkDirectory"/>.</summary>
    public string NewDirectory(string name)
    {
        var path = Path.Combine(WorkDirectory, name);
        Directory.CreateDirectory(path);
        return path;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (PackageVersion.Length > 0)
        {
            var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
                ? configured
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            foreach (var id in Directory.Exists(FeedDirectory) ? Directory.GetFiles(FeedDirectory, "*.nupkg") : [])
            {
                var name = Path.GetFileName(id);
                var packageId = name[..name.IndexOf("." + PackageVersion, StringComparison.Ordinal)];
                var cached = Path.Combine(cache, packageId.ToLowerInvariant(), PackageVersion.ToLowerInvariant());
                if (Directory.Exists(cached))
                {
                    Directory.Delete(cached, recursive: true);
                }

                // The package's folder too, when this run's version was its only one.
                var idFolder = Path.GetDirectoryName(cached)!;
                if (Directory.Exists(idFolder) && !Directory.EnumerateFileSystemEntries(idFolder).Any())
                {
                    Directory.Delete(idFolder);
                }
            }
        }

        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A process that just died may still hold a file; the folder is in the temp directory.
        }
    }

    private string ReadVersionPrefix()
    {
        var props = File.ReadAllText(Path.Combine(RepositoryRoot, "Directory.Build.props"));
        var match = System.Text.RegularExpressions.Regex.Match(props, "<VersionPrefix>([^<]+)</VersionPrefix>");
        return match.Success ? match.Groups[1].Value : throw new InvalidOperationException("No <VersionPrefix> in Directory.Build.props.");
    }

    private static string Metadata(string key) =>
        typeof(NewAppFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}

[CollectionDefinition(Name)]
public sealed class NewAppCollection : ICollectionFixture<NewAppFixture>
{
    public const string Name = "New apps from the packed packages";
}
