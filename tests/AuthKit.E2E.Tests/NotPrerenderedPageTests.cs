using Xunit.Abstractions;

namespace AuthKit.E2E.Tests;

/// <summary>
/// The sample with prerendering off: the antiforgery-protected forms (organization switch, sign-out) are rendered by a
/// circuit that was never prerendered, and still post with a valid antiforgery token.
/// </summary>
[Collection(NotPrerenderedSampleAppCollection.Name)]
public sealed class NotPrerenderedPageTests(NotPrerenderedSampleAppFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    [Fact]
    public Task Without_prerendering_the_organization_switch_and_sign_out_forms_post_with_their_antiforgery_token() => RunAsync(async session =>
    {
        var page = await SignInAsync(session, "alice@example.com");
        await page.GotoAsync(AppUrl("/account"));
        var sessionId = await page.GetByTestId("account-session-id").InnerTextAsync();

        // The server's HTML for the page holds none of it: only the circuit renders the switcher.
        var response = await session.Context.APIRequest.GetAsync(AppUrl("/organizations"));
        Assert.Equal(200, response.Status);
        var html = await response.TextAsync();
        Assert.DoesNotContain("authkit-org-switcher", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Switch organization", html, StringComparison.Ordinal);

        var fetchesBefore = await Emulator.GetOrganizationMembershipRequestsAsync();
        await NavigateInCircuitAsync(page, "Organizations");
        await Expect(page.Locator("[aria-current=true]")).ToContainTextAsync("Acme Corp");
        Assert.Equal(fetchesBefore + 1, await Emulator.GetOrganizationMembershipRequestsAsync());
        var switchForm = page.Locator("form.authkit-org-form").Filter(new() { Has = page.GetByRole(AriaRole.Button, new() { Name = "Switch to Globex" }) });
        await Expect(switchForm.Locator("input[name='__RequestVerificationToken']")).ToHaveCountAsync(1);
        await switchForm.GetByRole(AriaRole.Button).ClickAsync();

        await Expect(page).ToHaveURLAsync(AppPage("/organizations"));
        await Expect(page.Locator("[aria-current=true]")).ToContainTextAsync("Globex");

        await WaitForCircuitAsync(page);
        await page.GetByRole(AriaRole.Banner).GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(AppPage("/"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You are signed out" })).ToBeVisibleAsync();
        Assert.Null(await GetSessionCookieAsync(session));
        Assert.False(await Emulator.IsSessionActiveAsync(sessionId), "the emulator still has the session active");
    });
}
