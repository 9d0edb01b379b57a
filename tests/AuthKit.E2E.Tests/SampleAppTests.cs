using System.Globalization;
using Xunit.Abstractions;

namespace AuthKit.E2E.Tests;

/// <summary>The sample in a real Chromium, signed in through the emulator's hosted sign-in page.</summary>
[Collection(SampleAppCollection.Name)]
public sealed class SampleAppTests(SampleAppFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private const string Alice = "alice@example.com";
    private const string Bob = "bob@example.com";
    private const string Charlie = "charlie@example.com";

    [Fact]
    public Task Signing_in_from_home_as_alice_returns_home_with_an_httponly_samesite_lax_session_cookie() => RunAsync(async session =>
    {
        var page = await session.NewPageAsync();
        await page.GotoAsync(AppUrl("/"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You are signed out" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Sign up" })).ToBeVisibleAsync();
        await WaitForCircuitAsync(page);
        await session.ScreenshotAsync(page, "home-signed-out");
        await AssertAccessibleAsync(page);

        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(EmulatorSignInPage);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = Alice })).ToBeVisibleAsync();
        await session.ScreenshotAsync(page, "emulator-sign-in");
        await AssertAccessibleAsync(page);
        await SignInOnEmulatorAsync(page, Alice);

        await Expect(page).ToHaveURLAsync(AppPage("/"));
        await Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync($"Signed in as {Alice}");
        await Expect(page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        await WaitForCircuitAsync(page);
        await session.ScreenshotAsync(page, "home-signed-in");
        await AssertAccessibleAsync(page);

        var cookie = await GetSessionCookieAsync(session);
        Assert.NotNull(cookie);
        Assert.True(cookie.HttpOnly, "wos-session must be HttpOnly");
        Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);
        Assert.Equal("/", cookie.Path);
    });

    [Fact]
    public Task Visiting_account_signed_out_goes_through_sign_in_and_returns_to_account() => RunAsync(async session =>
    {
        var page = await session.NewPageAsync();
        await page.GotoAsync(AppUrl("/account"));

        await SignInOnEmulatorAsync(page, Alice);

        await Expect(page).ToHaveURLAsync(AppPage("/account"));
        await Expect(page.GetByTestId("account-email")).ToHaveTextAsync(Alice);
        await Expect(page.GetByTestId("account-organization-name")).ToHaveTextAsync("Acme Corp");
        await Expect(page.GetByTestId("account-role")).ToHaveTextAsync("admin");
        await Expect(page.GetByTestId("account-permissions")).ToContainTextAsync("admin:read");
        await Expect(page.GetByTestId("account-entitlements")).ToContainTextAsync("audit-logs");
        await Expect(page.GetByTestId("account-feature-flags")).ToContainTextAsync("new-dashboard");
        await WaitForCircuitAsync(page);
        await session.ScreenshotAsync(page, "account");
        await AssertAccessibleAsync(page);
    });

    [Fact]
    public Task Staying_on_account_for_several_token_lifetimes_keeps_the_circuit_signed_in_and_refreshing() => RunAsync(async session =>
    {
        var rejectedBefore = await Emulator.GetRejectedRefreshTokensAsync();
        var page = await SignInAsync(session, Alice);
        await NavigateInCircuitAsync(page, "Account");
        var expiry = page.GetByTestId("token-expiry");
        await Expect(expiry).ToBeVisibleAsync();
        await page.EvaluateAsync("() => { window.__e2eNoReload = 'still here'; }");

        const int refreshes = 3;
        var expiresAt = long.Parse((await expiry.GetAttributeAsync("data-expires-at"))!, CultureInfo.InvariantCulture);
        for (var i = 1; i <= refreshes; i++)
        {
            // The countdown jumps forward when the circuit refreshes the session shortly before expiry.
            await Expect(expiry).Not.ToHaveAttributeAsync("data-expires-at", expiresAt.ToString(CultureInfo.InvariantCulture), new() { Timeout = OneTokenLifetime });
            var next = long.Parse((await expiry.GetAttributeAsync("data-expires-at"))!, CultureInfo.InvariantCulture);
            Assert.True(next > expiresAt, $"refresh {i}: the new expiry {next} is not later than {expiresAt}");
            var secondsLeft = int.Parse((await page.GetByTestId("token-time-left").GetAttributeAsync("data-seconds-left"))!, CultureInfo.InvariantCulture);
            Assert.True(secondsLeft > SampleAppFixture.RefreshBuffer.TotalSeconds, $"refresh {i}: the countdown shows {secondsLeft} s, it did not jump forward");
            expiresAt = next;
        }

        await Expect(page.GetByTestId("token-time-left")).ToBeVisibleAsync();
        Assert.True(int.Parse(await page.GetByTestId("refresh-count").InnerTextAsync(), CultureInfo.InvariantCulture) >= refreshes);
        Assert.Equal("still here", await page.EvaluateAsync<string>("() => window.__e2eNoReload"));
        await Expect(page).ToHaveURLAsync(AppPage("/account"));
        await session.ScreenshotAsync(page, "account-after-refreshes");

        // The cookie in the browser was kept current: a full reload is still signed in.
        await page.ReloadAsync();
        await Expect(page).ToHaveURLAsync(AppPage("/account"));
        await Expect(page.GetByTestId("account-email")).ToHaveTextAsync(Alice);
        await WaitForCircuitAsync(page);

        Assert.Equal(rejectedBefore, await Emulator.GetRejectedRefreshTokensAsync());
    });

    [Fact]
    public Task Signing_out_clears_the_cookie_ends_the_session_and_signs_out_the_other_tab() => RunAsync(async session =>
    {
        var page = await SignInAsync(session, Alice);
        await page.GotoAsync(AppUrl("/account"));
        var sessionId = await page.GetByTestId("account-session-id").InnerTextAsync();
        await WaitForCircuitAsync(page);

        var otherTab = await session.NewPageAsync();
        await otherTab.GotoAsync(AppUrl("/account"));
        await Expect(otherTab.GetByTestId("account-email")).ToHaveTextAsync(Alice);
        await WaitForCircuitAsync(otherTab);

        // Sign out right after the other tab's circuit refreshed, so its next token-driven refresh is a whole
        // (lifetime - refresh buffer) away: only revalidation can notice the sign-out before then.
        var otherExpiry = otherTab.GetByTestId("token-expiry");
        var before = await otherExpiry.GetAttributeAsync("data-expires-at");
        await Expect(otherExpiry).Not.ToHaveAttributeAsync("data-expires-at", before!, new() { Timeout = OneTokenLifetime });
        var refreshDue = DateTimeOffset.FromUnixTimeSeconds(long.Parse((await otherExpiry.GetAttributeAsync("data-expires-at"))!, CultureInfo.InvariantCulture))
            - SampleAppFixture.RefreshBuffer;

        await page.GetByRole(AriaRole.Banner).GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(AppPage("/"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You are signed out" })).ToBeVisibleAsync();
        Assert.Null(await GetSessionCookieAsync(session));
        Assert.False(await Emulator.IsSessionActiveAsync(sessionId), "the emulator still has the session active");

        // The other tab's circuit notices within the revalidation interval and sends the tab to sign-in.
        await Expect(otherTab).ToHaveURLAsync(EmulatorSignInPage, new() { Timeout = (float)(SampleAppFixture.RevalidationInterval + TimeSpan.FromSeconds(4)).TotalMilliseconds });
        var flippedAt = DateTimeOffset.UtcNow;
        Assert.True(flippedAt < refreshDue, $"the other tab flipped at {flippedAt:HH:mm:ss.fff}, not before its token refresh was due ({refreshDue:HH:mm:ss.fff}): revalidation did not notice the sign-out");
    });

    [Fact]
    public Task Switching_from_acme_to_globex_changes_organization_and_role_and_denies_admin() => RunAsync(async session =>
    {
        var page = await SignInAsync(session, Alice);
        await NavigateInCircuitAsync(page, "Admin");
        await Expect(page.GetByTestId("admin-welcome")).ToBeVisibleAsync();
        await session.ScreenshotAsync(page, "admin");
        await AssertAccessibleAsync(page);

        // A page load prerenders the switcher and hands its list to the interactive render: one membership fetch.
        var fetchesBefore = await Emulator.GetOrganizationMembershipRequestsAsync();
        await page.GotoAsync(AppUrl("/organizations"));
        await WaitForCircuitAsync(page);
        var switcher = page.GetByRole(AriaRole.Navigation, new() { Name = "Organizations" });
        await Expect(switcher).ToBeVisibleAsync();
        await Expect(page.Locator("[aria-current=true]")).ToContainTextAsync("Acme Corp");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Switch to Globex" })).ToBeVisibleAsync();
        Assert.Equal(fetchesBefore + 1, await Emulator.GetOrganizationMembershipRequestsAsync());
        await session.ScreenshotAsync(page, "organizations");
        await AssertAccessibleAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to Globex" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(AppPage("/organizations"));
        await Expect(page.Locator("[aria-current=true]")).ToContainTextAsync("Globex");
        await NavigateInCircuitAsync(page, "Account");
        await Expect(page.GetByTestId("account-organization-name")).ToHaveTextAsync("Globex");
        await Expect(page.GetByTestId("account-organization-id")).ToHaveTextAsync("org_globex");
        await Expect(page.GetByTestId("account-role")).ToHaveTextAsync("member");

        await NavigateInCircuitAsync(page, "Admin");
        await Expect(page.GetByTestId("access-denied")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("admin-welcome")).ToHaveCountAsync(0);
    });

    [Fact]
    public Task Bob_is_denied_admin_and_charlie_sees_the_impersonation_banner() => RunAsync(async session =>
    {
        var page = await SignInAsync(session, Bob, organization: null);
        await NavigateInCircuitAsync(page, "Admin");
        await Expect(page.GetByTestId("access-denied")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("access-denied")).ToContainTextAsync(Bob);
        await session.ScreenshotAsync(page, "admin-access-denied");
        await AssertAccessibleAsync(page);

        // A full page load of /admin is a 403 rendered as the same access-denied page (Chromium logs the 403 itself).
        session.ExpectConsoleError("the server responded with a status of 403");
        var response = await page.GotoAsync(AppUrl("/admin"));
        Assert.Equal(403, response!.Status);
        await Expect(page.GetByTestId("access-denied")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("access-denied")).ToContainTextAsync(Bob);

        // Sign bob out (from the 403 page) and sign in as charlie in the same browser.
        await page.GetByRole(AriaRole.Banner).GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(AppPage("/"));
        await SignInFromHomeAsync(page, Charlie, organization: null);
        var banner = page.GetByRole(AriaRole.Region, new() { Name = "Impersonation" });
        await Expect(banner).ToBeVisibleAsync();
        await Expect(banner).ToContainTextAsync(Charlie);
        await Expect(banner).ToContainTextAsync("support@example.com");
        await Expect(banner).ToContainTextAsync("Investigating support ticket");
        await Expect(banner.GetByRole(AriaRole.Button, new() { Name = "Stop impersonating" })).ToBeVisibleAsync();
        await WaitForCircuitAsync(page);
        await session.ScreenshotAsync(page, "impersonation-banner");
        await AssertAccessibleAsync(page);
    });

    [Fact]
    public Task Revoking_the_session_at_workos_signs_out_the_open_circuit_once_the_token_expires() => RunAsync(async session =>
    {
        var page = await SignInAsync(session, Alice);
        await NavigateInCircuitAsync(page, "Account");
        var sessionId = await page.GetByTestId("account-session-id").InnerTextAsync();

        await Emulator.RevokeSessionAsync(sessionId);

        await Expect(page).ToHaveURLAsync(EmulatorSignInPage, new() { Timeout = OneTokenLifetime });
        Assert.Null(await GetSessionCookieAsync(session));
    });

    [Fact]
    public Task Api_demo_shows_the_users_identity_from_the_api_also_after_a_refresh_in_the_circuit() => RunAsync(async session =>
    {
        var page = await SignInAsync(session, Alice);
        await NavigateInCircuitAsync(page, "API demo");
        var result = page.GetByTestId("api-result");
        await Expect(result).ToHaveAttributeAsync("data-call", "1");
        await Expect(result).ToHaveAttributeAsync("data-status", "200");
        await Expect(page.GetByTestId("api-user-id")).ToHaveTextAsync("user_alice");
        await Expect(page.GetByTestId("api-organization-id")).ToHaveTextAsync("org_acme");
        var sessionId = await page.GetByTestId("api-session-id").InnerTextAsync();
        Assert.StartsWith("session_", sessionId);
        await session.ScreenshotAsync(page, "api-demo");
        await AssertAccessibleAsync(page);

        // Wait for the circuit to refresh the session, then call again: the API gets the new token.
        var circuitExpiry = page.GetByTestId("circuit-token-expiry");
        var before = await circuitExpiry.GetAttributeAsync("data-expires-at");
        await Expect(circuitExpiry).Not.ToHaveAttributeAsync("data-expires-at", before!, new() { Timeout = OneTokenLifetime });
        var refreshed = await circuitExpiry.GetAttributeAsync("data-expires-at");

        await page.GetByTestId("call-api").ClickAsync();
        await Expect(result).ToHaveAttributeAsync("data-call", "2");
        await Expect(result).ToHaveAttributeAsync("data-status", "200");
        await Expect(page.GetByTestId("api-user-id")).ToHaveTextAsync("user_alice");
        await Expect(page.GetByTestId("api-session-id")).ToHaveTextAsync(sessionId);
        await Expect(page.GetByTestId("api-token-expiry")).ToHaveAttributeAsync("data-expires-at", refreshed!);
    });

    [Fact]
    public Task Two_tabs_starting_sign_in_at_the_same_time_both_complete() => RunAsync(async session =>
    {
        var first = await session.NewPageAsync();
        var second = await session.NewPageAsync();
        await Task.WhenAll(first.GotoAsync(AppUrl("/auth/sign-in?returnPathname=/")), second.GotoAsync(AppUrl("/auth/sign-in?returnPathname=/account")));
        await Expect(first).ToHaveURLAsync(EmulatorSignInPage);
        await Expect(second).ToHaveURLAsync(EmulatorSignInPage);
        var verifierCookies = (await session.Context.CookiesAsync()).Count(c => c.Name.StartsWith("wos-auth-verifier", StringComparison.Ordinal));
        Assert.Equal(2, verifierCookies);

        await SignInOnEmulatorAsync(first, Alice);
        await SignInOnEmulatorAsync(second, Alice, "Globex");

        await Expect(first).ToHaveURLAsync(AppPage("/"));
        await Expect(first.GetByTestId("signed-in-as")).ToContainTextAsync(Alice);
        await Expect(second).ToHaveURLAsync(AppPage("/account"));
        await Expect(second.GetByTestId("account-email")).ToHaveTextAsync(Alice);
        Assert.NotNull(await GetSessionCookieAsync(session));
        Assert.DoesNotContain(await session.Context.CookiesAsync(), c => c.Name.StartsWith("wos-auth-verifier", StringComparison.Ordinal));
    });
}
