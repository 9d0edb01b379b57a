using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;

namespace AuthKit.Testing.Tests.Internal;

/// <summary>One headless Chromium shared by the browser tests.</summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright?.Dispose();
    }
}

/// <summary>The HTML sign-in page in a real browser: click a user, land on the redirect URI with a code.</summary>
public sealed class SignInPageBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private const string Callback = "http://127.0.0.1:5999/callback";

    private static async Task<(IPage Page, List<string> Errors, IBrowserContext Context)> OpenAsync(IBrowser browser, ViewportSize? viewport = null)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                errors.Add($"{message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => errors.Add("pageerror: " + error);
        // The app's callback: answer it here instead of running an app.
        await page.RouteAsync(Callback + "**", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 200, ContentType = "text/html", Body = "<!DOCTYPE html><title>callback</title><p>ok</p>",
        }));
        return (page, errors, context);
    }

    [Fact]
    public async Task Clicking_a_user_lands_on_the_redirect_uri_with_a_code()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        var (verifier, challenge) = TestSupport.NewPkce();
        var (page, errors, context) = await OpenAsync(chromium.Browser);
        await using var _ = context;

        await page.GotoAsync(TestSupport.AuthorizeUrl(emulator, challenge, state: "browser-state", redirectUri: Callback));
        var title = await page.TitleAsync();
        var errorsOnSignInPage = errors.ToList();
        await page.GetByRole(AriaRole.Button, new() { Name = "bob@example.com" }).ClickAsync();
        await page.WaitForURLAsync(Callback + "?**");
        var query = QueryHelpers.ParseQuery(new Uri(page.Url).Query);
        using var exchange = await TestSupport.ExchangeCodeAsync(client, emulator, query["code"]!, verifier);

        Assert.Contains("Sign in", title);
        Assert.Empty(errorsOnSignInPage);
        Assert.Empty(errors);
        Assert.Equal("browser-state", query["state"].ToString());
        Assert.Equal(System.Net.HttpStatusCode.OK, exchange.StatusCode);
        Assert.Equal("user_bob", (await TestSupport.JsonAsync(exchange)).GetProperty("user").GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_user_with_two_organizations_picks_one_in_the_browser()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        var (verifier, challenge) = TestSupport.NewPkce();
        var (page, errors, context) = await OpenAsync(chromium.Browser);
        await using var _ = context;

        await page.GotoAsync(TestSupport.AuthorizeUrl(emulator, challenge, redirectUri: Callback));
        await page.GetByRole(AriaRole.Button, new() { Name = "alice@example.com" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Choose an organization" }).WaitForAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Globex" }).ClickAsync();
        await page.WaitForURLAsync(Callback + "?**");
        var code = QueryHelpers.ParseQuery(new Uri(page.Url).Query)["code"].ToString();
        using var exchange = await TestSupport.ExchangeCodeAsync(client, emulator, code, verifier);

        Assert.Empty(errors);
        Assert.Equal("org_globex", (await TestSupport.JsonAsync(exchange)).GetProperty("organization_id").GetString());
    }

    [Fact]
    public async Task The_password_form_signs_in_and_the_page_fits_a_phone_screen()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        var (page, errors, context) = await OpenAsync(chromium.Browser, new ViewportSize { Width = 360, Height = 740 });
        await using var _ = context;

        await page.GotoAsync(TestSupport.AuthorizeUrl(emulator, TestSupport.NewPkce().Challenge, redirectUri: Callback, extra: new Dictionary<string, string?> { ["login_hint"] = "charlie@example.com" }));
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth");
        var prefilled = await page.GetByLabel("Email", new() { Exact = true }).InputValueAsync();
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(Callback + "?**");

        Assert.False(overflow);
        Assert.Equal("charlie@example.com", prefilled);
        Assert.Empty(errors);
        Assert.False(string.IsNullOrEmpty(QueryHelpers.ParseQuery(new Uri(page.Url).Query)["code"].ToString()));
    }
}
