using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace AuthKit.E2E.Tests;

/// <summary>
/// WorkOS's extra sign-in steps in a real Chromium: the sample's emulator answers the code exchange with
/// organization_selection_required (dana) and email_verification_required (erin), and AuthKit's own pages finish them.
/// </summary>
[Collection(SampleAppCollection.Name)]
public sealed class SignInStepTests(SampleAppFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private const string Dana = "dana@example.com";
    private const string Erin = "erin@example.com";

    [Fact]
    public Task A_user_with_two_organizations_chooses_one_on_authkits_page_and_lands_back_on_account() => RunAsync(async session =>
    {
        var page = await session.NewPageAsync();
        await page.GotoAsync(AppUrl("/account"));

        // The emulator signs dana in without asking for an organization; WorkOS's API then asks the app.
        await SignInOnEmulatorAsync(page, Dana, organization: null);
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(AppUrl("/auth/callback")) + "\\?"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Choose an organization", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Organizations" }).GetByRole(AriaRole.Button)).ToHaveCountAsync(2);
        await session.ScreenshotAsync(page, "organization-chooser");
        await AssertAccessibleAsync(page);
        var pendingCookie = (await session.Context.CookiesAsync()).Single(c => c.Name.StartsWith("wos-auth-pending-", StringComparison.Ordinal));
        Assert.True(pendingCookie.HttpOnly, "the pending cookie must be HttpOnly");
        Assert.StartsWith("Fe26.2*", pendingCookie.Value, StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Button, new() { Name = "Globex" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(AppPage("/account"));
        await Expect(page.GetByTestId("account-email")).ToHaveTextAsync(Dana);
        await Expect(page.GetByTestId("account-organization-name")).ToHaveTextAsync("Globex");
        Assert.DoesNotContain(await session.Context.CookiesAsync(), c => c.Name.StartsWith("wos-auth-pending-", StringComparison.Ordinal));
    });

    [Fact]
    public Task An_unverified_user_enters_a_wrong_then_the_emailed_code_and_is_signed_in() => RunAsync(async session =>
    {
        var page = await session.NewPageAsync();
        await page.GotoAsync(AppUrl("/account"));

        await SignInOnEmulatorAsync(page, Erin, organization: null);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your email", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync(Erin);
        await AssertAccessibleAsync(page);
        var code = await EmailCodeAsync(Erin);

        // The refused code is answered 400 (the page again, with an alert), which the browser logs.
        session.ExpectConsoleError("/auth/pending");
        var field = page.GetByLabel("Verification code");
        await field.FillAsync(code == "000000" ? "111111" : "000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("That code is not correct");
        await session.ScreenshotAsync(page, "email-verification-wrong-code");
        await AssertAccessibleAsync(page);

        await page.GetByLabel("Verification code").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(AppPage("/account"));
        await Expect(page.GetByTestId("account-email")).ToHaveTextAsync(Erin);
    });

    /// <summary>The code the emulator "emailed", read from its control surface as a test reads a mailbox.</summary>
    private async Task<string> EmailCodeAsync(string email)
    {
        using var http = new HttpClient { BaseAddress = Fixture.App.EmulatorUri, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", new AuthKit.Testing.WorkOSEmulatorOptions().ApiKey);
        var verification = await http.GetFromJsonAsync<JsonElement>("_emulator/email-verifications?email=" + Uri.EscapeDataString(email));
        return verification.GetProperty("code").GetString()!;
    }
}
