using System.Net;
using System.Web;
using AuthKit.Blazor.Tests.Bearer;
using AuthKit.Blazor.Tests.TestSupport;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AuthKit.Blazor.Tests.Authorization;

/// <summary>Step-up over HTTP: <c>recent-sign-in:</c> and <c>RequireRecentSignIn</c> with the cookie and bearer schemes.</summary>
public sealed class StepUpTests
{
    private static Task<AuthKitTestHost> StartAsync() => AuthKitTestHost.StartAsync(
        b =>
        {
            b.Services.AddAuthentication().AddAuthKitBearer();
            b.Services.AddAuthorizationBuilder().AddPolicy("fresh-admin", p => p.RequireRecentSignIn(TimeSpan.FromMinutes(5)).RequirePermission("admin:read"));
        },
        app =>
        {
            app.MapGet("/sensitive", () => "sensitive").RequireAuthorization("recent-sign-in:300");
            app.MapGet("/sensitive-span", () => "sensitive").RequireAuthorization("recent-sign-in:00:05:00");
            app.MapGet("/fresh-admin", () => "fresh-admin").RequireAuthorization("fresh-admin");
            app.MapGet("/bearer/sensitive", () => "sensitive")
                .RequireAuthorization(new AuthorizeAttribute("recent-sign-in:60") { AuthenticationSchemes = AuthKitDefaults.BearerScheme });
        });

    [Fact]
    public async Task A_recent_sign_in_passes_and_an_old_one_is_sent_through_sign_in_with_max_age_and_back_to_the_page()
    {
        await using var host = await StartAsync();
        var browser = host.NewBrowser();
        await host.SignInAsync(browser);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/sensitive?tab=2")).StatusCode);

        host.Advance(TimeSpan.FromSeconds(301)); // the token is refreshed on the way; auth_time stays the original sign-in
        using var stale = await browser.GetAsync("/sensitive?tab=2");

        Assert.Equal(HttpStatusCode.Redirect, stale.StatusCode);
        Assert.Equal("/auth/sign-in?returnPathname=%2Fsensitive%3Ftab%3D2&maxAge=300", stale.Headers.Location!.OriginalString);

        // Through sign-in: WorkOS is asked for max_age=300, a fresh sign-in returns to the page, which now passes.
        using var start = await browser.GetAsync(stale.Headers.Location.OriginalString);
        var authorize = start.Headers.Location!;
        Assert.Equal("300", HttpUtility.ParseQueryString(authorize.Query)["max_age"]);
        using var emulatorClient = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        host.Emulator.SetAutoSignIn("alice@example.com", "org_acme");
        using var atEmulator = await emulatorClient.GetAsync(authorize);
        using var callback = await browser.GetAsync(atEmulator.Headers.Location!.PathAndQuery);
        Assert.Equal("/sensitive?tab=2", callback.Headers.Location!.OriginalString);
        using var after = await browser.GetAsync("/sensitive?tab=2");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("sensitive", await after.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_time_span_form_of_the_policy_name_means_the_same()
    {
        await using var host = await StartAsync();
        var browser = host.NewBrowser();
        await host.SignInAsync(browser);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/sensitive-span")).StatusCode);
        host.Advance(TimeSpan.FromSeconds(301));
        using var stale = await browser.GetAsync("/sensitive-span");
        Assert.EndsWith("&maxAge=300", stale.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fetch_gets_401_with_the_step_up_error_instead_of_a_redirect()
    {
        await using var host = await StartAsync();
        var browser = host.NewBrowser();
        await host.SignInAsync(browser);
        host.Advance(TimeSpan.FromSeconds(301));

        using var response = await browser.GetAsync("/sensitive", r => r.Headers.Accept.ParseAdd("application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("AuthKit error=\"insufficient_user_authentication\", max_age=\"300\"", ApiSchemeHost.Challenge(response));
    }

    [Fact]
    public async Task A_user_also_missing_a_permission_gets_403_not_a_pointless_sign_in()
    {
        await using var host = await StartAsync();
        var browser = host.NewBrowser();
        await host.SignInAsync(browser, "bob@example.com");
        host.Advance(TimeSpan.FromSeconds(301));

        using var response = await browser.GetAsync("/fresh-admin");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task A_bearer_token_with_an_old_sign_in_gets_insufficient_user_authentication_with_max_age()
    {
        await using var host = await StartAsync();
        var token = host.Emulator.SignIn("alice@example.com", "org_acme").AccessToken;
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/bearer/sensitive", token)).StatusCode);

        host.Advance(TimeSpan.FromSeconds(61)); // the token is still valid (5 min), the sign-in is older than 60 s
        using var response = await host.GetAsync("/bearer/sensitive", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("Bearer error=\"insufficient_user_authentication\", error_description=\"A more recent sign-in is required\", max_age=\"60\"",
            ApiSchemeHost.Challenge(response));
        Assert.Equal("insufficient_user_authentication", (await ApiSchemeHost.ProblemAsync(response)).GetProperty("error").GetString());
    }
}
