using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace AuthKit.E2E.Tests;

/// <summary>The sample's Interactive WebAssembly and Auto pages (BlazorApp.Client) in a real Chromium.</summary>
[Collection(SampleAppCollection.Name)]
public sealed partial class WebAssemblyTests(SampleAppFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private const string Alice = "alice@example.com";

    /// <summary>The longest a WebAssembly page may take to notice a session change: one check interval plus margin for a loaded machine.</summary>
    private static float CheckInterval => (float)(SampleAppFixture.SessionCheckInterval + TimeSpan.FromSeconds(4)).TotalMilliseconds;

    [Fact]
    public Task Signed_out_wasm_account_goes_through_sign_in_and_shows_the_user_rendered_by_webassembly_without_a_circuit() => RunAsync(async session =>
    {
        var page = await session.NewPageAsync();
        var wasmFiles = new ConcurrentBag<string>();
        var sockets = new ConcurrentBag<string>();
        page.Response += (_, response) =>
        {
            if (response.Url.EndsWith(".wasm", StringComparison.Ordinal) && response.Ok)
            {
                wasmFiles.Add(response.Url);
            }
        };
        page.WebSocket += (_, socket) => sockets.Add(socket.Url);

        await page.GotoAsync(AppUrl("/wasm/account"));
        await SignInOnEmulatorAsync(page, Alice);

        await Expect(page).ToHaveURLAsync(AppPage("/wasm/account"));
        await Expect(page.GetByTestId("account-email")).ToHaveTextAsync(Alice);
        var renderer = page.GetByTestId("renderer");
        await Expect(renderer).ToHaveAttributeAsync("data-renderer", "WebAssembly", new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("account-email")).ToHaveTextAsync(Alice);
        await Expect(page.GetByTestId("account-user-id")).ToHaveTextAsync(new Regex("^user_"));
        await Expect(page.GetByTestId("account-session-id")).ToHaveTextAsync(new Regex("^session_"));
        await Expect(page.GetByTestId("account-organization-id")).ToHaveTextAsync(new Regex("^org_"));
        await Expect(page.GetByTestId("account-permissions")).Not.ToHaveTextAsync("None");
        Assert.NotNull(await page.GetByTestId("token-expiry").GetAttributeAsync("data-expires-at"));

        // Interactive in WebAssembly: the click is handled, and no circuit (no /_blazor WebSocket) exists on this page.
        await page.GetByTestId("interactivity-probe").ClickAsync();
        await Expect(page.GetByTestId("interactivity-probe")).ToHaveTextAsync("Clicked 1 times");
        Assert.Contains(wasmFiles, url => url.Contains("/_framework/", StringComparison.Ordinal));
        Assert.DoesNotContain(sockets, url => url.Contains("_blazor", StringComparison.Ordinal));
        await session.ScreenshotAsync(page, "wasm-account");
    });

    [Fact]
    public Task Signing_out_in_another_tab_flips_an_open_wasm_account_to_sign_in_within_the_check_interval() => RunAsync(async session =>
    {
        var page = await SignInAsync(session, Alice);
        await page.GotoAsync(AppUrl("/wasm/account"));
        await Expect(page.GetByTestId("renderer")).ToHaveAttributeAsync("data-renderer", "WebAssembly", new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("account-email")).ToHaveTextAsync(Alice);

        var otherTab = await session.NewPageAsync();
        await otherTab.GotoAsync(AppUrl("/"));
        await otherTab.GetByRole(AriaRole.Banner).GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(otherTab.GetByRole(AriaRole.Heading, new() { Name = "You are signed out" })).ToBeVisibleAsync();
        var signedOutAt = DateTimeOffset.UtcNow;

        // The WebAssembly page's next session check sees the ended session: NotAuthorized, then RedirectToSignIn.
        await Expect(page).ToHaveURLAsync(EmulatorSignInPage, new() { Timeout = CheckInterval });
        var flippedAfter = DateTimeOffset.UtcNow - signedOutAt;
        Output.WriteLine($"The WebAssembly page went to sign-in {flippedAfter.TotalMilliseconds:F0} ms after the sign-out.");
    });

    [Fact]
    public Task Auto_organizations_shows_the_signed_in_view_from_the_first_paint_on_the_server_and_in_webassembly_and_switches() => RunAsync(async session =>
    {
        var page = await SignInAsync(session, Alice);
        // Records every moment the NotAuthorized view is in the DOM, from the first byte of each document on.
        await page.AddInitScriptAsync("""
            (() => {
                window.__authkitNotAuthorized = [];
                const check = () => { if (document.querySelector('[data-testid="auto-not-authorized"]')) window.__authkitNotAuthorized.push(performance.now()); };
                new MutationObserver(check).observe(document, { childList: true, subtree: true });
            })();
            """);

        var renderers = new List<string>();
        for (var visit = 1; visit <= 2; visit++)
        {
            var response = await page.GotoAsync(AppUrl("/auto/organizations"));
            var html = await response!.TextAsync();
            Assert.Contains("data-testid=\"auto-authorized\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("auto-not-authorized", html, StringComparison.Ordinal);

            var renderer = page.GetByTestId("renderer");
            await Expect(renderer).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = 30_000 });
            await Expect(page.GetByTestId("auto-email")).ToHaveTextAsync(Alice);
            await Expect(page.Locator(".authkit-org-switcher .authkit-org-current")).ToBeVisibleAsync();
            await page.GetByTestId("interactivity-probe").ClickAsync();
            await Expect(page.GetByTestId("interactivity-probe")).ToHaveTextAsync("Clicked 1 times");
            renderers.Add((await renderer.GetAttributeAsync("data-renderer"))!);
            Assert.Empty(await page.EvaluateAsync<double[]>("window.__authkitNotAuthorized"));
            Assert.Equal(AppUrl("/auto/organizations"), page.Url);
            if (renderers[^1] == "WebAssembly")
            {
                break;
            }

            // Auto picks WebAssembly once the runtime is in the browser's cache: a WebAssembly page loads it for sure.
            await page.GotoAsync(AppUrl("/wasm/account"));
            await Expect(page.GetByTestId("renderer")).ToHaveAttributeAsync("data-renderer", "WebAssembly", new() { Timeout = 30_000 });
        }

        Output.WriteLine("Auto visits rendered by: " + string.Join(", ", renderers));
        Assert.Equal("Server", renderers[0]);
        Assert.Equal("WebAssembly", renderers[^1]);

        // The switcher's form (antiforgery from the persisted state) works from WebAssembly too.
        var before = await page.GetByTestId("auto-organization-id").InnerTextAsync();
        await page.Locator("button.authkit-org-switch").First.ClickAsync();
        await Expect(page).ToHaveURLAsync(AppPage("/auto/organizations"));
        await Expect(page.GetByTestId("auto-organization-id")).Not.ToHaveTextAsync(before);
        Assert.Empty(await page.EvaluateAsync<double[]>("window.__authkitNotAuthorized"));
    });

    [Fact]
    public Task The_proxy_call_from_webassembly_keeps_working_after_the_access_token_expired() => RunAsync(async session =>
    {
        var page = await SignInAsync(session, Alice);
        await page.GotoAsync(AppUrl("/wasm/api-demo"));
        await Expect(page.GetByTestId("renderer")).ToHaveAttributeAsync("data-renderer", "WebAssembly", new() { Timeout = 30_000 });
        var call = page.GetByTestId("call-api");
        await Expect(call).ToBeEnabledAsync();

        await call.ClickAsync();
        var result = page.GetByTestId("api-result");
        await Expect(result).ToHaveAttributeAsync("data-call", "1");
        await Expect(result).ToHaveAttributeAsync("data-status", "200");
        var firstTokenId = await page.GetByTestId("api-token-id").InnerTextAsync();
        var firstExpiry = DateTimeOffset.FromUnixTimeSeconds(long.Parse((await page.GetByTestId("api-token-expiry").GetAttributeAsync("data-expires-at"))!, CultureInfo.InvariantCulture));

        // Wait until the token the API saw has expired (the emulator's lifetime is short), then call again.
        var wait = firstExpiry - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        await call.ClickAsync();
        await Expect(result).ToHaveAttributeAsync("data-call", "2");
        await Expect(result).ToHaveAttributeAsync("data-status", "200");
        var secondTokenId = await page.GetByTestId("api-token-id").InnerTextAsync();
        var secondExpiry = DateTimeOffset.FromUnixTimeSeconds(long.Parse((await page.GetByTestId("api-token-expiry").GetAttributeAsync("data-expires-at"))!, CultureInfo.InvariantCulture));
        Assert.NotEqual(firstTokenId, secondTokenId);
        Assert.True(secondExpiry > DateTimeOffset.UtcNow, $"the API saw a token that expired at {secondExpiry:HH:mm:ss}");
    });

    [Fact]
    public Task The_proxy_refuses_a_request_without_the_anti_csrf_header_and_answers_401_json_when_signed_out() => RunAsync(async session =>
    {
        var page = await SignInAsync(session, Alice);
        var withoutHeader = await page.APIRequest.GetAsync(AppUrl("/bff/me"));
        Assert.Equal(400, withoutHeader.Status);
        Assert.Contains("csrf_header_required", await withoutHeader.TextAsync(), StringComparison.Ordinal);

        var anonymous = await Fixture.Browser.NewContextAsync();
        try
        {
            var signedOut = await anonymous.APIRequest.GetAsync(AppUrl("/bff/me"), new() { Headers = new Dictionary<string, string> { ["X-AuthKit-CSRF"] = "1" }, MaxRedirects = 0 });
            Assert.Equal(401, signedOut.Status);
            Assert.StartsWith("application/json", signedOut.Headers["content-type"], StringComparison.Ordinal);
            Assert.Contains("unauthenticated", await signedOut.TextAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await anonymous.DisposeAsync();
        }
    });

    [Fact]
    public Task The_page_html_the_persisted_state_and_every_response_the_client_receives_carry_no_token() => RunAsync(async session =>
    {
        var page = await SignInAsync(session, Alice);
        var bodies = new ConcurrentQueue<Task<(string Url, string Body)>>();
        page.Response += (_, response) =>
        {
            var type = response.Headers.TryGetValue("content-type", out var t) ? t : string.Empty;
            if (response.Status is >= 300 and < 400 || type.Contains("event-stream", StringComparison.Ordinal) || !(type.Contains("json", StringComparison.Ordinal) || type.Contains("html", StringComparison.Ordinal) || type.Contains("text", StringComparison.Ordinal) || type.Contains("javascript", StringComparison.Ordinal)))
            {
                return;
            }

            bodies.Enqueue(ReadAsync(response));
        };

        await page.GotoAsync(AppUrl("/wasm/account"));
        await Expect(page.GetByTestId("renderer")).ToHaveAttributeAsync("data-renderer", "WebAssembly", new() { Timeout = 30_000 });
        var html = await (await page.APIRequest.GetAsync(AppUrl("/wasm/account"))).TextAsync();

        // Let a few session checks (and a token refresh) happen, then call the API through the proxy.
        await page.WaitForTimeoutAsync((float)(SampleAppFixture.SessionCheckInterval * 2).TotalMilliseconds);
        await page.GotoAsync(AppUrl("/wasm/api-demo"));
        await Expect(page.GetByTestId("renderer")).ToHaveAttributeAsync("data-renderer", "WebAssembly", new() { Timeout = 30_000 });
        await page.GetByTestId("call-api").ClickAsync();
        await Expect(page.GetByTestId("api-result")).ToHaveAttributeAsync("data-status", "200");

        var persisted = PersistedState(html);
        Assert.Contains("alice@example.com", persisted, StringComparison.Ordinal);
        AssertNoToken("the persisted state", persisted);
        Assert.DoesNotContain("eyJ", persisted, StringComparison.Ordinal);
        AssertNoToken("the page HTML", html);

        var seen = await Task.WhenAll(bodies);
        Assert.Contains(seen, b => b.Url.Contains("/auth/session", StringComparison.Ordinal));
        Assert.Contains(seen, b => b.Url.Contains("/bff/me", StringComparison.Ordinal));
        foreach (var (url, body) in seen)
        {
            AssertNoToken(url, body);
            if (url.Contains("/auth/session", StringComparison.Ordinal) || url.Contains("/bff/", StringComparison.Ordinal))
            {
                Assert.DoesNotContain("eyJ", body, StringComparison.Ordinal);
            }
        }
    });

    private static async Task<(string Url, string Body)> ReadAsync(IResponse response)
    {
        try
        {
            // A body the browser no longer holds (a document navigated away from) cannot be read; it is never a hang.
            return (response.Url, await response.TextAsync().WaitAsync(TimeSpan.FromSeconds(15)));
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
        {
            return (response.Url, string.Empty);
        }
    }

    /// <summary>Fails when <paramref name="text"/> holds a JWT or names a token member.</summary>
    private static void AssertNoToken(string where, string text)
    {
        Assert.False(Jwt().IsMatch(text), $"{where} contains a JWT");
        foreach (var name in new[] { "accessToken", "access_token", "refreshToken", "refresh_token" })
        {
            Assert.False(text.Contains($"\"{name}\"", StringComparison.OrdinalIgnoreCase), $"{where} names {name}");
        }
    }

    /// <summary>
    /// The WebAssembly persisted state of a page, decoded: the <c>Blazor-WebAssembly-Component-State</c> comment is base64
    /// JSON whose values are base64 JSON again.
    /// </summary>
    private static string PersistedState(string html)
    {
        var match = StateComment().Match(html);
        Assert.True(match.Success, "the page has no WebAssembly persisted state");
        using var outer = JsonDocument.Parse(Convert.FromBase64String(match.Groups[1].Value));
        var decoded = new StringBuilder();
        foreach (var property in outer.RootElement.EnumerateObject())
        {
            decoded.Append(property.Name).Append('=');
            decoded.Append(property.Value.ValueKind == JsonValueKind.String
                ? Encoding.UTF8.GetString(Convert.FromBase64String(property.Value.GetString()!))
                : property.Value.GetRawText());
            decoded.AppendLine();
        }

        return decoded.ToString();
    }

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"<!--Blazor-WebAssembly-Component-State:([A-Za-z0-9+/=]+)-->")]
    private static partial Regex StateComment();
}
