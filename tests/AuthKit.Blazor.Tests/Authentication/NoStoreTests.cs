using System.Net;
using AuthKit.Blazor.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AuthKit.Blazor.Tests.Authentication;

/// <summary>Responses for signed-in users are never cacheable: <c>Cache-Control: private, no-store</c> and <c>Vary: Cookie</c>.</summary>
public sealed class NoStoreTests
{
    private static Task<AuthKitTestHost> StartAsync(bool enabled = true) => AuthKitTestHost.StartAsync(
        b => b.ConfigureScheme(o => o.NoStoreWhenSignedIn = enabled),
        app =>
        {
            app.MapGet("/cached", (HttpContext ctx) =>
            {
                ctx.Response.Headers.CacheControl = "public, max-age=600";
                ctx.Response.Headers.Vary = "Accept-Encoding";
                return "cached";
            });
        });

    [Fact]
    public async Task A_signed_in_response_is_private_no_store_and_varies_by_cookie()
    {
        await using var host = await StartAsync();
        var browser = host.NewBrowser();
        await host.SignInAsync(browser);

        using var response = await browser.GetAsync("/");

        Assert.Equal("home:alice@example.com", await response.Content.ReadAsStringAsync());
        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.True(response.Headers.CacheControl.Private);
        Assert.Contains("Cookie", response.Headers.Vary);
    }

    [Fact]
    public async Task An_anonymous_response_is_left_alone()
    {
        await using var host = await StartAsync();

        using var response = await host.NewBrowser().GetAsync("/");

        Assert.Equal("home:anonymous", await response.Content.ReadAsStringAsync());
        Assert.Null(response.Headers.CacheControl);
        Assert.DoesNotContain("Cookie", response.Headers.Vary);
    }

    [Fact]
    public async Task The_apps_explicit_cache_control_is_kept_but_still_varies_by_cookie()
    {
        await using var host = await StartAsync();
        var browser = host.NewBrowser();
        await host.SignInAsync(browser);

        using var response = await browser.GetAsync("/cached");

        Assert.True(response.Headers.CacheControl!.Public);
        Assert.Equal(TimeSpan.FromSeconds(600), response.Headers.CacheControl.MaxAge);
        Assert.Equal(["Accept-Encoding", "Cookie"], response.Headers.Vary);
    }

    [Fact]
    public async Task A_response_that_rotates_the_session_cookie_is_never_cacheable_whatever_the_app_said()
    {
        await using var host = await StartAsync();
        var browser = host.NewBrowser();
        await host.SignInAsync(browser);
        var before = browser.SessionCookie;
        host.Advance(TimeSpan.FromMinutes(5));

        using var response = await browser.GetAsync("/cached");

        Assert.NotEqual(before, browser.SessionCookie); // refreshed: this response carries the new cookie
        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.True(response.Headers.CacheControl.Private);
        Assert.False(response.Headers.CacheControl.Public);
    }

    [Fact]
    public async Task The_app_can_opt_out()
    {
        await using var host = await StartAsync(enabled: false);
        var browser = host.NewBrowser();
        await host.SignInAsync(browser);

        using var response = await browser.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.CacheControl);
        Assert.DoesNotContain("Cookie", response.Headers.Vary);
    }
}
