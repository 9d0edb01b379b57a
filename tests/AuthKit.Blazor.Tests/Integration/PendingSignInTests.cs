using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AuthKit.Blazor.Tests.TestSupport;
using AuthKit.Session;
using AuthKit.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace AuthKit.Blazor.Tests.Integration;

/// <summary>
/// WorkOS's continuation steps end to end against the emulator: the callback shows a page instead of failing, the step is
/// sealed in a flow cookie, and the page's form completes the sign-in through the matching grant.
/// </summary>
public sealed partial class PendingSignInTests
{
    internal const string TotpSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    internal static void Seed(WorkOSEmulatorOptions options)
    {
        var seed = EmulatorSeed.Demo;
        seed.Users.Add(new EmulatorUser { Id = "user_dana", Email = "dana@example.com", FirstName = "Dana", EmailVerified = false });
        seed.Users.Add(new EmulatorUser { Id = "user_tess", Email = "tess@example.com", FirstName = "Tess", TotpSecret = TotpSecret });
        seed.Users.Add(new EmulatorUser { Id = "user_una", Email = "una@example.com", EmailVerified = false, TotpSecret = TotpSecret });
        seed.Organizations[0].Memberships.Add(new EmulatorMembership { UserId = "user_una" });
        seed.Organizations[1].Memberships.Add(new EmulatorMembership { UserId = "user_una" });
        options.Seed = seed;
        options.EmailVerificationCodeLifetime = TimeSpan.FromMinutes(3);
    }

    private static Task<AuthKitTestHost> StartAsync(Action<IAuthKitBuilder>? configure = null) =>
        AuthKitTestHost.StartAsync(configure, null, Seed);

    /// <summary>The hidden and named fields of the page's form, as a browser would post them.</summary>
    internal static Dictionary<string, string> FormFields(string html)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match input in Input().Matches(html))
        {
            var attributes = Attribute().Matches(input.Value).ToDictionary(a => a.Groups[1].Value, a => WebUtility.HtmlDecode(a.Groups[2].Value), StringComparer.Ordinal);
            if (attributes.GetValueOrDefault("type") == "hidden" && attributes.TryGetValue("name", out var name))
            {
                fields[name] = attributes.GetValueOrDefault("value") ?? "";
            }
        }

        return fields;
    }

    [GeneratedRegex("<input\\b[^>]*>")]
    private static partial Regex Input();

    [GeneratedRegex("([a-z-]+)=\"([^\"]*)\"")]
    private static partial Regex Attribute();

    private static async Task<HttpResponseMessage> AnswerAsync(TestBrowser browser, string html, params (string Name, string Value)[] answer)
    {
        var fields = FormFields(html);
        foreach (var (name, value) in answer)
        {
            fields[name] = value;
        }

        return await browser.PostFormAsync("/auth/pending", fields);
    }

    [Fact]
    public async Task A_user_with_two_organizations_gets_the_chooser_and_lands_on_the_return_path_in_the_chosen_one()
    {
        await using var host = await StartAsync();
        var browser = host.NewBrowser();

        var callback = await host.SignInAsync(browser, "alice@example.com", organizationId: null, returnPathname: "/protected?tab=2");
        var html = await callback.Content.ReadAsStringAsync();
        var chosen = await AnswerAsync(browser, html, ("organizationId", "org_globex"));
        var me = await (await browser.GetAsync("/api/me")).Content.ReadFromJsonAsync<AuthKitTestHost.Me>();

        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        Assert.Equal("no-store", callback.Headers.CacheControl?.ToString());
        Assert.Equal("frame-ancestors 'none'", callback.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", callback.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("<h1 id=\"authkit-title\">Choose an organization</h1>", html);
        Assert.Contains("<form method=\"post\" action=\"/auth/pending\"", html);
        Assert.Contains("name=\"organizationId\" value=\"org_acme\">Acme Corp</button>", html);
        Assert.Contains("name=\"organizationId\" value=\"org_globex\">Globex</button>", html);
        var pendingCookie = Assert.Single(callback.Headers.GetValues("Set-Cookie"), c => c.StartsWith("wos-auth-pending-", StringComparison.Ordinal));
        Assert.Contains("HttpOnly", pendingCookie);
        Assert.Contains("Fe26.2*", pendingCookie);
        Assert.DoesNotContain(callback.Headers.GetValues("Set-Cookie"), c => c.StartsWith("wos-session=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        Assert.Equal("/protected?tab=2", chosen.Headers.Location!.OriginalString);
        Assert.Contains(chosen.Headers.GetValues("Set-Cookie"), c => c.StartsWith("wos-session=Fe26.2*", StringComparison.Ordinal));
        Assert.Contains(chosen.Headers.GetValues("Set-Cookie"), c => c.StartsWith("wos-auth-pending-", StringComparison.Ordinal) && c.Contains("Max-Age=0"));
        Assert.DoesNotContain(browser.Cookies.Keys, k => k.StartsWith("wos-auth-pending-", StringComparison.Ordinal));
        Assert.Equal("org_globex", me!.OrganizationId);
        Assert.Equal("member", me.Role);
        Assert.Equal(1, host.Emulator.RequestCounts.OrganizationSelection);
    }

    [Fact]
    public async Task An_organization_not_offered_by_workos_is_refused_on_the_page_and_another_can_be_chosen()
    {
        await using var host = await StartAsync();
        var browser = host.NewBrowser();
        var html = await (await host.SignInAsync(browser, "alice@example.com", organizationId: null)).Content.ReadAsStringAsync();

        var refused = await AnswerAsync(browser, html, ("organizationId", "org_elsewhere"));
        var refusedHtml = await refused.Content.ReadAsStringAsync();
        var grantsAfterRefusal = host.Emulator.RequestCounts.OrganizationSelection;
        var chosen = await AnswerAsync(browser, refusedHtml, ("organizationId", "org_acme"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("role=\"alert\"", refusedHtml);
        Assert.Contains("Choose one of the listed organizations.", refusedHtml);
        Assert.Equal(0, grantsAfterRefusal);
        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
    }

    [Fact]
    public async Task Email_verification_rejects_a_wrong_code_with_a_message_then_accepts_the_right_one()
    {
        await using var host = await StartAsync();
        var browser = host.NewBrowser();

        var callback = await host.SignInAsync(browser, "dana@example.com", organizationId: null, returnPathname: "/protected");
        var html = await callback.Content.ReadAsStringAsync();
        var code = host.Emulator.GetEmailVerificationCode("dana@example.com")!;
        var wrong = await AnswerAsync(browser, html, ("code", code == "000000" ? "111111" : "000000"));
        var wrongHtml = await wrong.Content.ReadAsStringAsync();
        var right = await AnswerAsync(browser, wrongHtml, ("code", code));

        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        Assert.Contains("<h1 id=\"authkit-title\">Check your email</h1>", html);
        Assert.Contains("dana@example.com", html);
        Assert.Contains("<label for=\"authkit-code\">Verification code</label>", html);
        Assert.Contains("autocomplete=\"one-time-code\"", html);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("That code is not correct", wrongHtml);
        Assert.Contains("aria-invalid=\"true\"", wrongHtml);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/protected", right.Headers.Location!.OriginalString);
        Assert.Equal("protected:dana@example.com", await (await browser.GetAsync("/protected")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_expired_email_code_says_so_and_offers_a_restart()
    {
        await using var host = await StartAsync();
        var browser = host.NewBrowser();
        var html = await (await host.SignInAsync(browser, "dana@example.com", organizationId: null, returnPathname: "/protected")).Content.ReadAsStringAsync();
        var code = host.Emulator.GetEmailVerificationCode("dana@example.com")!;

        host.Advance(TimeSpan.FromMinutes(4)); // past the emulator's 3-minute code lifetime, within the 10-minute flow
        var expired = await AnswerAsync(browser, html, ("code", code));
        var expiredHtml = await expired.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, expired.StatusCode);
        Assert.Contains("This code has expired. Start the sign-in again to get a new one.", expiredHtml);
        Assert.Contains("href=\"/auth/sign-in?returnPathname=%2Fprotected\"", expiredHtml);
        Assert.DoesNotContain("<form", expiredHtml);
        Assert.DoesNotContain(browser.Cookies.Keys, k => k.StartsWith("wos-auth-pending-", StringComparison.Ordinal));
        var restart = await browser.GetAsync("/auth/sign-in?returnPathname=%2Fprotected");
        Assert.Equal(HttpStatusCode.Redirect, restart.StatusCode);
        Assert.StartsWith(host.Emulator.BaseUri.ToString(), restart.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_totp_challenge_shows_a_code_page_that_completes_the_sign_in()
    {
        await using var host = await StartAsync();
        var browser = host.NewBrowser();

        var callback = await host.SignInAsync(browser, "tess@example.com", organizationId: null);
        var html = await callback.Content.ReadAsStringAsync();
        var code = EmulatorTotp.ComputeCode(TotpSecret, host.Emulator.TimeProvider.GetUtcNow());
        var wrong = await AnswerAsync(browser, html, ("code", code == "123456" ? "654321" : "123456"));
        var right = await AnswerAsync(browser, await wrong.Content.ReadAsStringAsync(), ("code", code));

        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        Assert.Contains("<h1 id=\"authkit-title\">Enter your authentication code</h1>", html);
        Assert.Contains("<label for=\"authkit-code\">Authentication code</label>", html);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("authenticator app", await wrong.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("home:tess@example.com", await (await browser.GetAsync("/")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Chained_steps_email_then_totp_then_organization_each_get_a_page()
    {
        await using var host = await StartAsync();
        var browser = host.NewBrowser();

        var email = await (await host.SignInAsync(browser, "una@example.com", organizationId: null, returnPathname: "/protected")).Content.ReadAsStringAsync();
        var totp = await AnswerAsync(browser, email, ("code", host.Emulator.GetEmailVerificationCode("una@example.com")!));
        var totpHtml = await totp.Content.ReadAsStringAsync();
        var org = await AnswerAsync(browser, totpHtml, ("code", EmulatorTotp.ComputeCode(TotpSecret, host.Emulator.TimeProvider.GetUtcNow())));
        var orgHtml = await org.Content.ReadAsStringAsync();
        var pendingCookies = browser.Cookies.Keys.Count(k => k.StartsWith("wos-auth-pending-", StringComparison.Ordinal));
        var done = await AnswerAsync(browser, orgHtml, ("organizationId", "org_acme"));

        Assert.Contains("Check your email", email);
        Assert.Equal(HttpStatusCode.OK, totp.StatusCode);
        Assert.Contains("Enter your authentication code", totpHtml);
        Assert.Contains("Choose an organization", orgHtml);
        Assert.Equal(1, pendingCookies); // each step replaced the previous one
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("/protected", done.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_step_started_on_one_server_is_finished_on_another()
    {
        var keys = new EphemeralDataProtectionProvider();
        void Shared(IServiceCollection services) => services.AddSingleton<IDataProtectionProvider>(keys);
        await using var first = await AuthKitTestHost.StartAsync(null, null, Seed, services: Shared);
        await using var second = await AuthKitTestHost.StartAsync(null, null, null, sharedWith: first, services: Shared);
        var browser = first.NewBrowser();
        var html = await (await first.SignInAsync(browser, "alice@example.com", organizationId: null)).Content.ReadAsStringAsync();

        var elsewhere = browser.CloneTo(second);
        var chosen = await AnswerAsync(elsewhere, html, ("organizationId", "org_acme"));

        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        Assert.Equal("home:alice@example.com", await (await elsewhere.GetAsync("/")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_state_given_at_sign_in_reaches_OnSignedIn_after_a_pending_step()
    {
        string? seen = null;
        await using var host = await StartAsync(b => b.WithEvents(e => e.OnSignedIn = ctx =>
        {
            seen = ctx.State;
            return Task.CompletedTask;
        }));
        var browser = host.NewBrowser();

        var html = await (await host.SignInAsync(browser, "alice@example.com", organizationId: null, extraQuery: "state=cart-42")).Content.ReadAsStringAsync();
        Assert.Null(seen);
        var chosen = await AnswerAsync(browser, html, ("organizationId", "org_acme"));

        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        Assert.Equal("cart-42", seen);
    }

    [Fact]
    public async Task An_app_replaces_the_built_in_page_through_OnPendingSignIn()
    {
        AuthKitPendingSignInContext? seen = null;
        await using var host = await StartAsync(b => b.WithEvents(e => e.OnPendingSignIn = ctx =>
        {
            seen = ctx;
            ctx.Result = Microsoft.AspNetCore.Http.TypedResults.Content($"my chooser: {string.Join(",", ctx.Organizations.Select(o => o.Name))}", "text/plain");
            return Task.CompletedTask;
        }));
        var browser = host.NewBrowser();

        var callback = await host.SignInAsync(browser, "alice@example.com", organizationId: null);

        Assert.Equal("my chooser: Acme Corp,Globex", await callback.Content.ReadAsStringAsync());
        Assert.Equal(PendingAuthenticationKind.OrganizationSelection, seen!.Step);
        Assert.True(seen.CanComplete);
        Assert.Equal("/auth/pending", seen.FormAction);
        Assert.Matches("^[0-9a-f]{24}$", seen.FlowId);
        Assert.False(string.IsNullOrEmpty(seen.AntiforgeryToken));
        Assert.Equal("/auth/sign-in?returnPathname=%2F", seen.RestartPath);
    }

    [Fact]
    public async Task An_app_renders_its_own_razor_component_for_the_step_and_its_form_completes_the_sign_in()
    {
        await using var host = await AuthKitTestHost.StartAsync(
            b => b.WithEvents(e => e.OnPendingSignIn = ctx =>
            {
                ctx.Result = new Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult<CustomPendingPage>(new { Step = ctx });
                return Task.CompletedTask;
            }),
            null, Seed, services: s => s.AddRazorComponents());
        var browser = host.NewBrowser();

        var callback = await host.SignInAsync(browser, "alice@example.com", organizationId: null);
        var html = await callback.Content.ReadAsStringAsync();
        var fields = FormFields(html);
        var chosen = await AnswerAsync(browser, html, ("organizationId", "org_globex"));

        Assert.Contains("<h1>Where do you want to work today?</h1>", html);
        Assert.Contains("Work in Globex", html);
        Assert.Contains("flow", fields.Keys);
        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        Assert.Equal("org_globex", (await (await browser.GetAsync("/api/me")).Content.ReadFromJsonAsync<AuthKitTestHost.Me>())!.OrganizationId);
    }

    [Fact]
    public async Task Steps_the_app_cannot_finish_get_a_clear_page_with_a_restart()
    {
        await using var host = await StartAsync();
        host.Emulator.InjectFault(new EmulatorFault
        {
            Route = "/user_management/authenticate",
            GrantType = "authorization_code",
            Status = 403,
            Body = """{"code":"mfa_enrollment","message":"Enroll a factor.","pending_authentication_token":"pending_secret_enroll","user":{"object":"user","id":"user_bob","email":"bob@example.com"}}""",
        });
        var browser = host.NewBrowser();

        var callback = await host.SignInAsync(browser, "bob@example.com", returnPathname: "/protected");
        var html = await callback.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        Assert.Contains("<h1 id=\"authkit-title\">Set up multi-factor authentication</h1>", html);
        Assert.DoesNotContain("<form", html);
        Assert.Contains("href=\"/auth/sign-in?returnPathname=%2Fprotected\"", html);
        Assert.DoesNotContain("pending_secret_enroll", html);
        Assert.DoesNotContain(callback.Headers.GetValues("Set-Cookie"), c => c.Contains("pending_secret_enroll", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_mfa_challenge_naming_only_the_factor_gets_a_challenge_created_by_authkit()
    {
        await using var host = await StartAsync();
        host.Emulator.InjectFault(new EmulatorFault
        {
            Route = "/user_management/authenticate",
            GrantType = "authorization_code",
            Status = 403,
            Body = """{"code":"mfa_challenge","message":"MFA.","pending_authentication_token":"pending_x","authentication_factors":[{"object":"authentication_factor","id":"auth_factor_user_tess","type":"totp"}]}""",
        });
        var browser = host.NewBrowser();

        var html = await (await host.SignInAsync(browser, "bob@example.com")).Content.ReadAsStringAsync();

        Assert.Contains("<label for=\"authkit-code\">Authentication code</label>", html);
    }

    [Fact]
    public async Task A_tampered_pending_cookie_is_a_400_that_offers_a_restart()
    {
        await using var host = await StartAsync();
        var browser = host.NewBrowser();
        var html = await (await host.SignInAsync(browser, "alice@example.com", organizationId: null)).Content.ReadAsStringAsync();
        var name = browser.Cookies.Keys.Single(k => k.StartsWith("wos-auth-pending-", StringComparison.Ordinal));
        var value = browser.Cookies[name];
        browser.SetCookie(name, value[..^8] + (value[^8] == 'A' ? 'B' : 'A') + value[^7..]);

        var response = await AnswerAsync(browser, html, ("organizationId", "org_acme"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Sign-in step expired", body);
        Assert.Contains("href=\"/auth/sign-in?returnPathname=%2F\"", body);
        Assert.Equal(0, host.Emulator.RequestCounts.OrganizationSelection);
    }

    [Fact]
    public async Task An_expired_pending_cookie_is_a_400_and_never_reaches_workos()
    {
        await using var host = await StartAsync();
        var browser = host.NewBrowser();
        var html = await (await host.SignInAsync(browser, "alice@example.com", organizationId: null)).Content.ReadAsStringAsync();

        host.Advance(TimeSpan.FromMinutes(11));
        var response = await AnswerAsync(browser, html, ("organizationId", "org_acme"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Sign-in step expired", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, host.Emulator.RequestCounts.OrganizationSelection);
    }

    [Theory]
    [InlineData("missing-cookie")]
    [InlineData("other-flow")]
    [InlineData("bad-flow-id")]
    [InlineData("no-antiforgery")]
    [InlineData("session-cookie-as-pending")]
    public async Task Forged_or_mismatched_answers_are_400s_not_500s(string attack)
    {
        await using var host = await StartAsync();
        var browser = host.NewBrowser();
        var html = await (await host.SignInAsync(browser, "alice@example.com", organizationId: null)).Content.ReadAsStringAsync();
        var fields = FormFields(html);
        fields["organizationId"] = "org_acme";
        var name = browser.Cookies.Keys.Single(k => k.StartsWith("wos-auth-pending-", StringComparison.Ordinal));
        switch (attack)
        {
            case "missing-cookie":
                browser.RemoveCookie(name);
                break;
            case "other-flow":
                // The sealed value of this flow under another flow's name.
                browser.SetCookie("wos-auth-pending-000000000000000000000000", browser.Cookies[name]);
                fields["flow"] = "000000000000000000000000";
                break;
            case "bad-flow-id":
                fields["flow"] = "../../wos-session";
                break;
            case "no-antiforgery":
                fields.Remove(fields.Keys.Single(k => k.Contains("RequestVerificationToken", StringComparison.Ordinal)));
                break;
            case "session-cookie-as-pending":
                var signedIn = host.NewBrowser();
                await host.SignInAsync(signedIn);
                browser.SetCookie(name, signedIn.SessionCookie!);
                break;
        }

        var response = await browser.PostFormAsync("/auth/pending", fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, host.Emulator.RequestCounts.OrganizationSelection);
        Assert.Null(browser.SessionCookie);
    }
}
