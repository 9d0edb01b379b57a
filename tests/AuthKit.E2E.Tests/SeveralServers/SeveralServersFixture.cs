using System.Globalization;
using System.Net;
using AuthKit.Redis.Tests.TestSupport;

namespace AuthKit.E2E.Tests.SeveralServers;

/// <summary>
/// Several servers as production runs them: a real redis-server, the standalone emulator (<c>authkit-emulator</c>), three
/// sample processes in Production — each with its own <c>HOME</c>, so their key rings are shared through Redis and not
/// the disk — with one cookie password, <c>ConnectionStrings__Redis</c> and the emulator's <c>WORKOS_*</c> settings, behind
/// one <see cref="LoadBalancer"/> origin; and one headless Chromium.
/// </summary>
public sealed class SeveralServersFixture : IAsyncLifetime
{
    /// <summary>Number of sample servers behind the balancer.</summary>
    public const int ServerCount = 3;

    /// <summary>The emulator's access-token lifetime: short, so refreshes happen within seconds.</summary>
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromSeconds(10);

    /// <summary>How long before expiry a session is refreshed.</summary>
    public static readonly TimeSpan RefreshBuffer = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The circuits' timer is long (the default 30 s): a circuit that flips within a second of a sign-out elsewhere was
    /// told by the store's push, not by its timer. Token-driven refreshes still run at expiry minus <see cref="RefreshBuffer"/>.
    /// </summary>
    public static readonly TimeSpan RevalidationInterval = TimeSpan.FromSeconds(30);

    private readonly List<SampleAppProcess> _servers = [];
    private readonly List<string> _homes = [];
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private RedisServerProcess? _redis;
    private EmulatorProcess? _emulator;
    private LoadBalancer? _balancer;

    /// <summary>The sample servers (index = the balancer's pin number).</summary>
    public IReadOnlyList<SampleAppProcess> Servers => _servers;

    public LoadBalancer Balancer => _balancer ?? throw new InvalidOperationException("The fixture is not initialized.");

    public EmulatorProcess Emulator => _emulator ?? throw new InvalidOperationException("The fixture is not initialized.");

    internal RedisServerProcess Redis => _redis ?? throw new InvalidOperationException("The fixture is not initialized.");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <summary>The <c>WORKOS_*</c> settings every server (and the Node app of the tests) uses: the emulator, the balancer's callback, one cookie password.</summary>
    public IReadOnlyDictionary<string, string> WorkOSEnvironment { get; private set; } = new Dictionary<string, string>();

    /// <summary>Every server's output, each under a heading (for failure artifacts).</summary>
    public string ServersOutput => string.Join(Environment.NewLine, _servers.Select((s, i) => $"== server {i} ({s.BaseUri}){Environment.NewLine}{s.Output}"))
        + $"{Environment.NewLine}== emulator{Environment.NewLine}{_emulator?.Output}";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(SampleAppFixture.ArtifactsDirectory);
        Chromium.EnsureInstalled();
        _redis = await RedisServerProcess.StartAsync();
        _emulator = await EmulatorProcess.StartAsync(AccessTokenLifetime);
        _balancer = await LoadBalancer.StartAsync();

        WorkOSEnvironment = new Dictionary<string, string>
        {
            ["WORKOS_CLIENT_ID"] = "client_emulator",
            ["WORKOS_API_KEY"] = "sk_test_emulator",
            ["WORKOS_API_HOSTNAME"] = _emulator.BaseUri.Host,
            ["WORKOS_API_HTTPS"] = "false",
            ["WORKOS_API_PORT"] = _emulator.BaseUri.Port.ToString(CultureInfo.InvariantCulture),
            // One public URL for all servers: the balancer's.
            ["WORKOS_REDIRECT_URI"] = new Uri(_balancer.BaseUri, "auth/callback").ToString(),
            ["WORKOS_COOKIE_PASSWORD"] = "one-cookie-password-for-every-server-of-the-e2e-suite",
        };
        var environment = new Dictionary<string, string>(WorkOSEnvironment)
        {
            ["ConnectionStrings__Redis"] = _redis.Address,
            ["AuthKit__RevalidationInterval"] = RevalidationInterval.ToString("c", CultureInfo.InvariantCulture),
            ["AuthKit__RefreshBuffer"] = RefreshBuffer.ToString("c", CultureInfo.InvariantCulture),
        };

        // One at a time: three cold .NET start-ups at once on a 2-core machine only slow each other down.
        for (var i = 0; i < ServerCount; i++)
        {
            var home = Directory.CreateTempSubdirectory($"authkit-e2e-home-{i}-").FullName;
            _homes.Add(home);
            _servers.Add(await SampleAppProcess.StartServerAsync(_emulator.BaseUri, home, environment));
        }

        _balancer.SetServers(_servers.Select(s => s.BaseUri));
        await WarmUpAsync();
        Assertions.SetDefaultExpectTimeout(10_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
    }

    /// <summary>
    /// Servers in production are warm: the first request of each code path (static files, sign-in, the callback, a signed-in
    /// page) pays for JIT compilation, which on a loaded 2-core machine can take a second. Each server serves them once
    /// before the tests time anything.
    /// </summary>
    private async Task WarmUpAsync()
    {
        for (var i = 0; i < _servers.Count; i++)
        {
            // Sign-in, the callback, then the signed-in home page, its assets and a signed-in-only page, all on server i.
            using var http = Client(await SignInOverHttpAsync("alice@example.com", "org_acme", server: i), server: i);
            var home = await http.GetStringAsync("/");
            foreach (var asset in System.Text.RegularExpressions.Regex.Matches(home, "(?:src|href)=\"([^\"#:?]+\\.(?:js|css|svg))\"").Select(m => m.Groups[1].Value).Distinct())
            {
                using var _ = await http.GetAsync(asset);
            }

            using var account = await http.GetAsync("/account");
            account.EnsureSuccessStatusCode();
        }

        _balancer!.ClearLog();
    }

    /// <summary>
    /// Signs in over plain HTTP through the balancer (the emulator in auto mode: no page, no circuit to refresh the
    /// cookie), every request on <paramref name="server"/> when given; returns the cookie jar holding the session.
    /// </summary>
    internal async Task<CookieContainer> SignInOverHttpAsync(string email, string organizationId, int? server = null)
    {
        var jar = new CookieContainer();
        using var http = Client(jar, server);
        using var emulator = new EmulatorControl(Emulator.BaseUri);
        await emulator.SetAutoSignInAsync(email, organizationId);
        try
        {
            using var response = await http.GetAsync("/auth/sign-in");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            await emulator.SetAutoSignInAsync(null);
        }

        return jar;
    }

    /// <summary>A client of the balancer that follows redirects with <paramref name="jar"/>, pinned to <paramref name="server"/> when given.</summary>
    private HttpClient Client(CookieContainer jar, int? server)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = true }) { BaseAddress = Balancer.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        if (server is { } pinned)
        {
            http.DefaultRequestHeaders.Add(LoadBalancer.PinHeader, pinned.ToString(CultureInfo.InvariantCulture));
        }

        return http;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await File.WriteAllTextAsync(Path.Combine(SampleAppFixture.ArtifactsDirectory, "several-servers.log"),
            ServersOutput + $"{Environment.NewLine}== load balancer{Environment.NewLine}{string.Join(Environment.NewLine, _balancer?.Requests ?? [])}");
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        if (_balancer is not null)
        {
            await _balancer.DisposeAsync();
        }

        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        _redis?.Dispose();
        foreach (var home in _homes)
        {
            try
            {
                Directory.Delete(home, recursive: true);
            }
            catch (IOException)
            {
                // best effort
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SeveralServersCollection : ICollectionFixture<SeveralServersFixture>
{
    public const string Name = "Three sample servers, Redis and the standalone emulator in Chromium";
}
