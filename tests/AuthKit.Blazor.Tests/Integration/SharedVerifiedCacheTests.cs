using System.Net;
using AuthKit.Blazor.Tests.TestSupport;
using AuthKit.Session;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor.Tests.Integration;

/// <summary>The scheme and the session core share the core's one bounded cache of verified cookies.</summary>
public sealed class SharedVerifiedCacheTests : IAsyncLifetime
{
    private AuthKitTestHost _host = null!;

    public async Task InitializeAsync() => _host = await AuthKitTestHost.StartAsync(b => b.Configure(o => o.VerifiedSessionCacheSize = 50));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_cookie_verified_by_the_scheme_is_a_hit_for_the_cores_validation()
    {
        var core = _host.Services.GetRequiredService<AuthKitCore>();
        var browser = _host.NewBrowser();
        await _host.SignInAsync(browser);
        var cookie = browser.SessionCookie!;
        core.Cache.Remove(cookie);

        var response = await browser.GetAsync("/protected");
        var hit = core.Cache.TryGetEntry(VerifiedSessionCache.CookieHash.Of(cookie), _host.Time.GetUtcNow(), out var cached);
        var validated = await _host.Services.GetRequiredService<SessionResolver>().ResolveCookieAsync(cookie, TimeSpan.Zero, default); // AuthService's call

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(hit);
        Assert.Same(cached.Resolution, validated);
    }

    [Fact]
    public async Task Signing_out_evicts_the_cookie_from_the_shared_cache()
    {
        var core = _host.Services.GetRequiredService<AuthKitCore>();
        var browser = _host.NewBrowser();
        await _host.SignInAsync(browser);
        var cookie = browser.SessionCookie!;
        await browser.GetAsync("/protected");
        var cachedBefore = core.Cache.TryGetEntry(VerifiedSessionCache.CookieHash.Of(cookie), _host.Time.GetUtcNow(), out _);

        await browser.PostFormWithAntiforgeryAsync("/auth/sign-out", new Dictionary<string, string>());

        Assert.True(cachedBefore);
        Assert.False(core.Cache.TryGetEntry(VerifiedSessionCache.CookieHash.Of(cookie), _host.Time.GetUtcNow(), out _));
    }

    [Fact]
    public void The_blazor_cache_size_option_sizes_the_cores_cache()
    {
        Assert.Equal(50, _host.Services.GetRequiredService<IOptions<AuthKitCoreOptions>>().Value.VerifiedSessionCacheSize);
    }
}
