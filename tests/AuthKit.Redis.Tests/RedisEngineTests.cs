using AuthKit.Redis.Internal;
using AuthKit.Redis.Tests.TestSupport;
using AuthKit.Session;
using AuthKit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AuthKit.Redis.Tests;

/// <summary>
/// The whole engine on several servers: two DI containers (<c>AddAuthKit().UseRedis(...)</c>) sharing one Redis and one
/// <see cref="WorkOSEmulator"/>, as two app servers would.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RedisEngineTests(SharedRedis redis) : IAsyncLifetime
{
    private const string CookiePassword = "a-very-long-cookie-password-of-at-least-32-chars";
    private readonly string _prefix = SharedRedis.NewPrefix();
    private readonly List<ServiceProvider> _servers = [];
    private WorkOSEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await WorkOSEmulator.StartAsync(new WorkOSEmulatorOptions());

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        await _emulator.DisposeAsync();
    }

    private Task<ServiceProvider> ServerAsync() => ServerAsync(redis.Address);

    private async Task<ServiceProvider> ServerAsync(string address)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddAuthKit(o =>
        {
            _emulator.ConfigureAuthKit(o);
            o.CookiePassword = CookiePassword;
            o.RedirectUri = "https://app.example.test/callback";
        }).UseRedis(o =>
        {
            o.Configuration = address;
            o.KeyPrefix = _prefix;
        });
        var provider = services.BuildServiceProvider();
        _servers.Add(provider);
        var store = Assert.IsType<RedisSessionStore>(provider.GetRequiredService<ISessionStore>());
        store.Start();
        await Eventually.TrueAsync(() => store.IsSynced, "the server's store is synced");
        return provider;
    }

    private string ExpiredCookie(IServiceProvider server)
    {
        _emulator.SetClockOffset(TimeSpan.FromMinutes(-6)); // issued 6 minutes ago: the 5-minute access token has expired
        var session = _emulator.SignIn("alice@example.com").ToSession();
        _emulator.SetClockOffset(TimeSpan.Zero);
        return server.GetRequiredService<AuthKitCore>().EncryptSession(session);
    }

    [Fact]
    public async Task Two_servers_racing_on_one_expired_cookie_make_one_upstream_refresh_and_every_request_ends_signed_in()
    {
        var a = await ServerAsync();
        var b = await ServerAsync();
        var cookie = ExpiredCookie(a);
        var before = _emulator.RequestCounts.RefreshToken;

        var requests = Enumerable.Range(0, 40)
            .Select(i => Task.Run(() => (i % 2 == 0 ? a : b).GetRequiredService<SessionResolver>().ResolveCookieAsync(cookie).AsTask()))
            .ToArray();
        var results = await Task.WhenAll(requests).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(results, r => Assert.True(r.Auth.IsAuthenticated, r.Status.ToString()));
        Assert.Equal(1, _emulator.RequestCounts.RefreshToken - before);
        Assert.Single(results.Select(r => r.SealedSession).Distinct()); // everyone got the one successor
    }

    [Fact]
    public async Task A_session_ended_on_one_server_is_refused_by_the_other_without_a_Redis_round_trip()
    {
        var a = await ServerAsync();
        var b = await ServerAsync();
        var signIn = _emulator.SignIn("bob@example.com");
        var cookie = a.GetRequiredService<AuthKitCore>().EncryptSession(signIn.ToSession());
        var resolverB = b.GetRequiredService<SessionResolver>();
        Assert.True((await resolverB.ResolveCookieAsync(cookie)).Auth.IsAuthenticated);
        var storeB = (RedisSessionStore)b.GetRequiredService<ISessionStore>();

        await a.GetRequiredService<SessionResolver>().EndSessionAsync(signIn.SessionId);
        await Eventually.TrueAsync(async () => (await resolverB.ResolveCookieAsync(cookie)).Status == SessionResolutionStatus.Ended, "b refuses the ended session", TimeSpan.FromSeconds(1));
        var sent = storeB.CommandsSent;
        var again = await resolverB.ResolveCookieAsync(cookie);

        Assert.Equal(SessionResolutionStatus.Ended, again.Status);
        Assert.Equal(sent, storeB.CommandsSent);
    }

    [Fact]
    public async Task With_Redis_killed_users_stay_signed_in_a_storm_refreshes_once_per_server_and_a_sign_out_is_refused_where_it_happened()
    {
        using var own = await RedisServerProcess.StartAsync();
        var a = await ServerAsync(own.Address);
        var resolver = a.GetRequiredService<SessionResolver>();
        var live = _emulator.SignIn("bob@example.com");
        var liveCookie = a.GetRequiredService<AuthKitCore>().EncryptSession(live.ToSession());
        var expiredCookie = ExpiredCookie(a);
        var before = _emulator.RequestCounts.RefreshToken;
        own.Kill();

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var signedIn = await resolver.ResolveCookieAsync(liveCookie);
        var storm = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => Task.Run(() => resolver.ResolveCookieAsync(expiredCookie).AsTask()))).WaitAsync(TimeSpan.FromSeconds(10));
        await resolver.EndSessionAsync(live.SessionId);
        var afterSignOut = await resolver.ResolveCookieAsync(liveCookie);
        watch.Stop();

        Assert.True(signedIn.Auth.IsAuthenticated);
        Assert.All(storm, r => Assert.True(r.Auth.IsAuthenticated, r.Status.ToString()));
        Assert.Equal(1, _emulator.RequestCounts.RefreshToken - before); // the per-server single flight with a local lease
        Assert.Equal(SessionResolutionStatus.Ended, afterSignOut.Status);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3)); // 33 resolutions and a sign-out, one refresh included
    }
}
