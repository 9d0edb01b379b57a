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

    private async Task<ServiceProvider> ServerAsync()
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
            o.Configuration = redis.Address;
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
            .Select(i => Task.Run(() => (i % 2 == 0 ? a : b).GetRequiredService<SessionResolver>().ResolveCookieAsync(cookie)))
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
}
