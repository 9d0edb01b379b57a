using System.Runtime.CompilerServices;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace AuthKit.E2E.Tests;

/// <summary>Base for the browser scenarios: a fresh context per test, console errors fail the test, artifacts on failure.</summary>
public abstract class E2ETest(SampleAppFixture fixture, ITestOutputHelper output) : IDisposable
{
    protected SampleAppFixture Fixture { get; } = fixture;

    protected ITestOutputHelper Output { get; } = output;

    protected EmulatorControl Emulator { get; } = new(fixture.App.EmulatorUri);

    /// <summary>Longest wait for something driven by one access-token lifetime (expiry, refresh, revalidation), with margin.</summary>
    protected static float OneTokenLifetime =>
        (float)(SampleAppFixture.AccessTokenLifetime + SampleAppFixture.RevalidationInterval + TimeSpan.FromSeconds(5)).TotalMilliseconds;

    /// <summary>An absolute URL on the sample.</summary>
    protected string AppUrl(string path) => new Uri(Fixture.App.BaseUri, path).ToString();

    /// <summary>Matches the sample's URL for <paramref name="path"/> exactly (no query).</summary>
    protected Regex AppPage(string path) => new($"^{Regex.Escape(AppUrl(path))}$");

    /// <summary>Matches the emulator's hosted sign-in page.</summary>
    protected Regex EmulatorSignInPage => new($"^{Regex.Escape(new Uri(Fixture.App.EmulatorUri, "user_management/authorize").ToString())}");

    /// <summary>Runs a scenario in a fresh browser context; saves artifacts when it fails; fails on browser console errors.</summary>
    protected Task RunAsync(Func<BrowserSession, Task> scenario, [CallerMemberName] string testName = "") =>
        BrowserSession.RunScenarioAsync(Fixture.Browser, Fixture.App.BaseUri, testName, () => Fixture.App.Output, Output, scenario);

    /// <summary>On the emulator's sign-in page: picks the test user, then the organization when asked.</summary>
    protected async Task SignInOnEmulatorAsync(IPage page, string email, string? organization = "Acme Corp")
    {
        await Expect(page).ToHaveURLAsync(EmulatorSignInPage);
        await ChooseOnEmulatorSignInPageAsync(page, email, organization);
    }

    /// <summary>On the emulator's hosted sign-in page (already shown): clicks the user, then the organization when asked.</summary>
    internal static async Task ChooseOnEmulatorSignInPageAsync(IPage page, string email, string? organization)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = email }).ClickAsync();
        if (organization is not null)
        {
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Choose an organization" })).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = organization }).ClickAsync();
        }
    }

    /// <summary>Signs in from the home page and waits until the app shows the user as signed in.</summary>
    protected async Task<IPage> SignInAsync(BrowserSession session, string email, string? organization = "Acme Corp")
    {
        var page = await session.NewPageAsync();
        await SignInFromHomeAsync(page, email, organization);
        return page;
    }

    /// <summary>In an existing tab: signs in from the home page and waits until the app shows the user as signed in.</summary>
    protected async Task SignInFromHomeAsync(IPage page, string email, string? organization = "Acme Corp")
    {
        await page.GotoAsync(AppUrl("/"));
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
        await SignInOnEmulatorAsync(page, email, organization);
        await Expect(page).ToHaveURLAsync(AppPage("/"));
        await Expect(page.GetByTestId("signed-in-as")).ToContainTextAsync(email);
    }

    /// <summary>Waits until the page's circuit is connected (the layout renders interactively).</summary>
    protected internal static async Task WaitForCircuitAsync(IPage page) =>
        await Expect(page.Locator("main[data-interactive='true']")).ToBeAttachedAsync();

    /// <summary>Navigates inside the circuit through the main navigation (no page load).</summary>
    protected static async Task NavigateInCircuitAsync(IPage page, string linkText)
    {
        await WaitForCircuitAsync(page);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = linkText, Exact = true }).ClickAsync();
    }

    /// <summary>
    /// Runs axe-core on the page (WCAG 2.1 A/AA rules) and fails on any violation, listing rule, impact and elements.
    /// </summary>
    protected static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        var violations = result.Violations.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}").ToList();
        Assert.True(violations.Count == 0, $"Accessibility violations on {page.Url}:{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");
    }

    /// <summary>The value of the page's <c>wos-session</c> cookie entry, or null.</summary>
    protected static async Task<BrowserContextCookiesResult?> GetSessionCookieAsync(BrowserSession session) =>
        (await session.Context.CookiesAsync()).SingleOrDefault(c => c.Name == "wos-session");

    public void Dispose()
    {
        Emulator.Dispose();
        GC.SuppressFinalize(this);
    }
}
