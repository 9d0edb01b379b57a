using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace AuthKit.E2E.Tests;

/// <summary>
/// One test's browser context: pages opened through it record their console, and the session saves screenshots,
/// and on failure each page's HTML, screenshot and console log, under <see cref="SampleAppFixture.ArtifactsDirectory"/>.
/// </summary>
public sealed partial class BrowserSession : IAsyncDisposable
{
    private readonly List<IPage> _pages = [];
    private readonly ConcurrentQueue<string> _console = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentBag<string> _expectedErrors = [];
    private readonly string _testName;

    private BrowserSession(IBrowserContext context, string testName)
    {
        Context = context;
        _testName = testName;
    }

    /// <summary>The test's own browser context (cookies, tabs).</summary>
    public IBrowserContext Context { get; }

    /// <summary>Console errors and uncaught page errors seen so far, except the ones a test declared expected.</summary>
    public IReadOnlyList<string> UnexpectedConsoleErrors =>
        [.. _errors.Where(e => !_expectedErrors.Any(expected => e.Contains(expected, StringComparison.Ordinal)))];

    public static async Task<BrowserSession> CreateAsync(IBrowser browser, Uri baseUri, string testName)
    {
        var context = await browser.NewContextAsync(new()
        {
            BaseURL = baseUri.ToString(),
            ViewportSize = new() { Width = 1280, Height = 800 },
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(15_000);
        return new BrowserSession(context, testName);
    }

    /// <summary>
    /// Runs <paramref name="scenario"/> in a fresh context of <paramref name="browser"/>; fails on browser console errors;
    /// when it fails, saves every tab's artifacts with <paramref name="appOutput"/> (read then) and says where.
    /// </summary>
    public static async Task RunScenarioAsync(IBrowser browser, Uri baseUri, string testName, Func<string> appOutput, Xunit.Abstractions.ITestOutputHelper output, Func<BrowserSession, Task> scenario)
    {
        await using var session = await CreateAsync(browser, baseUri, testName);
        try
        {
            await scenario(session);
            Assert.True(session.UnexpectedConsoleErrors.Count == 0,
                "The browser console reported errors:" + Environment.NewLine + string.Join(Environment.NewLine, session.UnexpectedConsoleErrors));
        }
        catch
        {
            await session.SaveFailureArtifactsAsync(appOutput());
            output.WriteLine($"Artifacts saved under {SampleAppFixture.ArtifactsDirectory}");
            throw;
        }
    }

    /// <summary>Opens a tab whose console messages are recorded.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var page = await Context.NewPageAsync();
        var tab = _pages.Count + 1;
        _pages.Add(page);
        page.Console += (_, message) =>
        {
            var line = $"[tab {tab}] {message.Type}: {message.Text} ({message.Location})";
            _console.Enqueue(line);
            if (message.Type == "error")
            {
                _errors.Enqueue(line);
            }
        };
        page.PageError += (_, error) =>
        {
            var line = $"[tab {tab}] uncaught: {error}";
            _console.Enqueue(line);
            _errors.Enqueue(line);
        };
        return page;
    }

    /// <summary>Declares a console error the test itself provokes (e.g. the browser reporting a deliberate 403 document).</summary>
    public void ExpectConsoleError(string fragment) => _expectedErrors.Add(fragment);

    /// <summary>Saves a full-page screenshot as <c>screenshots/&lt;name&gt;.png</c>.</summary>
    public async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(SampleAppFixture.ArtifactsDirectory, $"{name}.png"), FullPage = true });

    /// <summary>Saves every tab's HTML and screenshot and the console log as <c>screenshots/&lt;test&gt;-failure-*</c>.</summary>
    public async Task SaveFailureArtifactsAsync(string appOutput)
    {
        Directory.CreateDirectory(SampleAppFixture.ArtifactsDirectory); // a suite without a SampleAppFixture (the new-app tests) has none yet
        var prefix = Path.Combine(SampleAppFixture.ArtifactsDirectory, $"{SafeName().Replace(_testName, "_")}-failure");
        for (var i = 0; i < _pages.Count; i++)
        {
            var page = _pages[i];
            if (page.IsClosed)
            {
                continue;
            }

            try
            {
                await File.WriteAllTextAsync($"{prefix}-tab{i + 1}.html", $"<!-- {page.Url} -->\n{await page.ContentAsync()}");
                await page.ScreenshotAsync(new() { Path = $"{prefix}-tab{i + 1}.png", FullPage = true });
            }
            catch (PlaywrightException ex)
            {
                _console.Enqueue($"[tab {i + 1}] could not save artifacts: {ex.Message}");
            }
        }

        var log = new StringBuilder()
            .AppendLine("== browser console").AppendJoin(Environment.NewLine, _console).AppendLine()
            .AppendLine("== sample app output").AppendLine(appOutput);
        await File.WriteAllTextAsync($"{prefix}-console.log", log.ToString());
    }

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();

    [GeneratedRegex("[^A-Za-z0-9_.-]+")]
    private static partial Regex SafeName();
}
