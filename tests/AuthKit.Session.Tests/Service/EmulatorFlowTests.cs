using System.Web;
using AuthKit.Session.Tests.Fakes;
using AuthKit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Session.Tests.Service;

/// <summary>The session core wired through <c>AddAuthKitSession</c> against the real <see cref="WorkOSEmulator"/>.</summary>
public sealed class EmulatorFlowTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private WorkOSEmulator _emulator = null!;
    private ServiceProvider _provider = null!;

    public async Task InitializeAsync()
    {
        _emulator = await WorkOSEmulator.StartAsync(new WorkOSEmulatorOptions { TimeProvider = _time, AllowedRedirectHosts = ["app.example.test"] });
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(_time)
            .AddAuthKitSession(o =>
            {
                _emulator.ConfigureAuthKit(o);
                o.RedirectUri = TestOptions.RedirectUri;
                o.CookiePassword = TestOptions.CookiePassword;
            });
        services.AddSingleton<ISessionStorage<TestRequest, TestResponse>>(sp =>
            new TestCookieStorage(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthKitOptions>>().Value, writeToResponse: false));
        _provider = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task Sign_in_refresh_switch_and_sign_out_against_the_emulator()
    {
        var service = _provider.GetRequiredService<AuthService<TestRequest, TestResponse>>();
        var browser = new Browser();

        var start = await service.CreateSignInAsync(null, new AuthorizationOptions { ReturnPathname = "/home" });
        browser.Apply(start.Headers);
        var query = HttpUtility.ParseQueryString(start.Url.Query);
        var code = _emulator.IssueCodeFor("alice@example.com", query["code_challenge"]!, "org_acme");
        var callback = await service.HandleCallbackAsync(browser.NewRequest(), null, code, query["state"]);
        browser.Apply(callback.Headers);

        var first = await service.WithAuthAsync(browser.NewRequest());
        Assert.True(first.Auth.IsAuthenticated);
        Assert.Equal("alice@example.com", first.Auth.User.Email);
        Assert.Equal("org_acme", first.Auth.OrganizationId);
        Assert.Contains("admin:read", first.Auth.Permissions);

        _time.Advance(TimeSpan.FromMinutes(6));
        var refreshed = await service.WithAuthAsync(browser.NewRequest());
        Assert.True(refreshed.Auth.IsAuthenticated);
        Assert.NotNull(refreshed.RefreshedSessionData);
        Assert.Equal(first.Auth.SessionId, refreshed.Auth.SessionId);
        browser.Apply((await service.SaveSessionAsync(null, refreshed.RefreshedSessionData)).Headers);

        var switched = await service.SwitchOrganizationAsync((await service.GetSessionAsync(browser.NewRequest()))!, "org_globex");
        browser.Apply((await service.SaveSessionAsync(null, switched.EncryptedSession)).Headers);
        Assert.Equal("org_globex", (await service.WithAuthAsync(browser.NewRequest())).Auth.OrganizationId);

        var signOut = await service.SignOutAsync(switched.Auth.SessionId!);
        browser.Apply(signOut.Headers);
        Assert.Equal(_emulator.BaseUri.Authority, signOut.LogoutUrl.Authority);
        Assert.Empty(browser.Jar);
        var counts = _emulator.RequestCounts;
        Assert.Equal((1, 2, 1), (counts.AuthorizationCode, counts.RefreshToken, counts.Jwks));
    }

    [Fact]
    public async Task A_revoked_session_becomes_a_final_refresh_failure()
    {
        var engine = _provider.GetRequiredService<SessionResolver>();
        var workOS = _provider.GetRequiredService<IWorkOSUserManagement>();
        var verifier = AuthKit.Session.Pkce.CreateCodeVerifier();
        var signIn = await workOS.AuthenticateWithCodeAsync(_emulator.IssueCodeFor("bob@example.com", AuthKit.Session.Pkce.CreateCodeChallenge(verifier)), verifier);
        var session = new Session { AccessToken = signIn.AccessToken, RefreshToken = signIn.RefreshToken, User = signIn.User };
        var sessionId = AccessTokens.ParseUnverified(signIn.AccessToken).SessionId!;

        _emulator.RevokeSession(sessionId);
        var error = await Assert.ThrowsAsync<TokenRefreshException>(() => engine.RefreshAsync(session));

        Assert.True(error.IsFinal);
        Assert.Equal(sessionId, error.SessionId);
    }
}
