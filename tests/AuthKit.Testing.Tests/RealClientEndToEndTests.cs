using System.Net;
using AuthKit.Session;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Testing.Tests;

/// <summary>The real AuthKit.Session WorkOS client and JWKS verifier, end to end against the emulator.</summary>
public sealed class RealClientEndToEndTests : IAsyncLifetime
{
    private const string Redirect = "http://127.0.0.1:5999/callback";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private WorkOSEmulator _emulator = null!;
    private AuthKitOptions _options = null!;
    private WorkOSUserManagementClient _client = null!;
    private HttpClient _browser = null!;

    public async Task InitializeAsync()
    {
        _emulator = await WorkOSEmulator.StartAsync(new WorkOSEmulatorOptions
        {
            TimeProvider = _time,
            AccessTokenLifetime = TimeSpan.FromSeconds(60),
            SigningKeyGracePeriod = TimeSpan.FromMinutes(5),
            AutoSignInEmail = "bob@example.com",
        });
        _options = new AuthKitOptions { RedirectUri = Redirect };
        _emulator.ConfigureAuthKit(_options);
        _client = new WorkOSUserManagementClient(new HttpClient(), Options.Create(_options), _time);
        _browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
    }

    public async Task DisposeAsync()
    {
        _browser.Dispose();
        await _emulator.DisposeAsync();
    }

    private JwksAccessTokenVerifier Verifier() =>
        new(Options.Create(_options), Options.Create(new AuthKitCoreOptions()), new SimpleHttpClientFactory(), _time);

    /// <summary>Browser leg: follow the client's authorization URL (auto mode) and pick the code off the redirect.</summary>
    private async Task<(string Code, string Verifier)> AuthorizeAsync(string? loginHint = null, string? organizationId = null)
    {
        var verifier = Pkce.CreateCodeVerifier();
        var url = _client.GetAuthorizationUrl(new AuthorizationUrlRequest
        {
            RedirectUri = Redirect,
            State = "state-" + Pkce.CreateNonce(),
            CodeChallenge = Pkce.CreateCodeChallenge(verifier),
            LoginHint = loginHint,
            OrganizationId = organizationId,
        });
        using var response = await _browser.GetAsync(url);
        var query = TestSupport.RedirectQuery(response);
        Assert.True(query.ContainsKey("code"), response.Headers.Location?.ToString());
        return (query["code"], verifier);
    }

    private async Task<AuthenticationResponse> SignInAsync(string? loginHint = null, string? organizationId = null)
    {
        var (code, verifier) = await AuthorizeAsync(loginHint, organizationId);
        return await _client.AuthenticateWithCodeAsync(code, verifier);
    }

    [Fact]
    public async Task Sign_in_with_pkce_yields_a_verified_org_scoped_session()
    {
        var response = await SignInAsync();
        var validation = await Verifier().ValidateAsync(response.AccessToken);

        Assert.Equal("user_bob", response.User.Id);
        Assert.Equal("bob@example.com", response.User.Email);
        Assert.Equal("Bob", response.User.FirstName);
        Assert.True(response.User.EmailVerified);
        Assert.Equal("org_acme", response.OrganizationId);
        Assert.Null(response.Impersonator);
        Assert.True(validation.IsValid, validation.Failure.ToString());
        Assert.Equal("user_bob", validation.Claims!.Subject);
        Assert.Equal("org_acme", validation.Claims.OrganizationId);
        Assert.Equal("member", validation.Claims.Role);
        Assert.Equal(["posts:read"], validation.Claims.Permissions);
        Assert.Equal(["new-dashboard"], validation.Claims.FeatureFlags);
        Assert.Equal(1, _emulator.RequestCounts.AuthorizationCode);
    }

    [Fact]
    public async Task A_wrong_verifier_is_an_invalid_grant_error()
    {
        var (code, _) = await AuthorizeAsync();

        var ex = await Assert.ThrowsAsync<WorkOSOAuthException>(() => _client.AuthenticateWithCodeAsync(code, Pkce.CreateCodeVerifier()));

        Assert.True(ex.IsInvalidGrant);
        Assert.Equal(HttpStatusCode.BadRequest, ex.Status);
    }

    [Fact]
    public async Task Refresh_rotates_and_a_replay_is_rejected()
    {
        var signIn = await SignInAsync();

        var refreshed = await _client.AuthenticateWithRefreshTokenAsync(signIn.RefreshToken);
        var replay = await Assert.ThrowsAsync<WorkOSOAuthException>(() => _client.AuthenticateWithRefreshTokenAsync(signIn.RefreshToken));
        var again = await _client.AuthenticateWithRefreshTokenAsync(refreshed.RefreshToken);

        Assert.NotEqual(signIn.RefreshToken, refreshed.RefreshToken);
        Assert.True(replay.IsInvalidGrant);
        Assert.Equal("org_acme", again.OrganizationId);
        Assert.Equal(3, _emulator.RequestCounts.RefreshToken);
        Assert.Equal(1, _emulator.RequestCounts.RejectedRefreshTokens);
    }

    [Fact]
    public async Task Organization_switch_is_allowed_for_members_and_refused_otherwise()
    {
        var alice = await SignInAsync("alice@example.com", "org_acme");
        var bob = await SignInAsync("bob@example.com");

        var switched = await _client.AuthenticateWithRefreshTokenAsync(alice.RefreshToken, "org_globex");
        var refused = await Assert.ThrowsAsync<WorkOSOAuthException>(() => _client.AuthenticateWithRefreshTokenAsync(bob.RefreshToken, "org_globex"));
        var bobStill = await _client.AuthenticateWithRefreshTokenAsync(bob.RefreshToken);
        var claims = (await Verifier().ValidateAsync(switched.AccessToken)).Claims!;

        Assert.Equal("org_globex", switched.OrganizationId);
        Assert.Equal("member", claims.Role);
        Assert.False(refused.IsInvalidGrant);
        Assert.Equal("invalid_request", refused.Error);
        Assert.Equal("org_acme", bobStill.OrganizationId);
    }

    [Fact]
    public async Task Organization_selection_required_is_completed_with_the_selection_grant()
    {
        var (code, verifier) = await AuthorizeAsync("alice@example.com");

        var required = await Assert.ThrowsAsync<WorkOSAuthenticationRequiredException>(() => _client.AuthenticateWithCodeAsync(code, verifier));
        var selected = await _client.AuthenticateWithOrganizationSelectionAsync(required.PendingAuthenticationToken!, required.Organizations[1].Id);

        Assert.Equal("organization_selection_required", required.Code);
        Assert.Equal(["Acme Corp", "Globex"], required.Organizations.Select(o => o.Name));
        Assert.Equal("org_globex", selected.OrganizationId);
        Assert.Equal("user_alice", selected.User.Id);
    }

    [Fact]
    public async Task Impersonation_shows_as_act_and_impersonator()
    {
        var response = await SignInAsync("charlie@example.com");
        var claims = (await Verifier().ValidateAsync(response.AccessToken)).Claims!;

        Assert.Equal("support@example.com", response.Impersonator!.Email);
        Assert.Equal("Investigating support ticket #1234", response.Impersonator.Reason);
        Assert.Equal("support@example.com", claims.ActorSubject);
    }

    [Fact]
    public async Task A_revoked_session_cannot_refresh_and_unknown_sessions_are_404()
    {
        var signIn = await SignInAsync();
        var sid = AccessTokens.ParseUnverified(signIn.AccessToken).SessionId!;

        await _client.RevokeSessionAsync(sid);
        var refresh = await Assert.ThrowsAsync<WorkOSOAuthException>(() => _client.AuthenticateWithRefreshTokenAsync(signIn.RefreshToken));
        var unknown = await Assert.ThrowsAsync<WorkOSApiException>(() => _client.RevokeSessionAsync("session_unknown"));

        Assert.True(refresh.IsInvalidGrant);
        Assert.False(_emulator.IsSessionActive(sid));
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
    }

    [Fact]
    public async Task The_logout_url_ends_the_session_and_returns_to_the_app()
    {
        var signIn = await SignInAsync();
        var sid = AccessTokens.ParseUnverified(signIn.AccessToken).SessionId!;

        using var response = await _browser.GetAsync(_client.GetLogoutUrl(sid, "http://127.0.0.1:5999/bye"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(new Uri("http://127.0.0.1:5999/bye"), response.Headers.Location);
        Assert.False(_emulator.IsSessionActive(sid));
        await Assert.ThrowsAsync<WorkOSOAuthException>(() => _client.AuthenticateWithRefreshTokenAsync(signIn.RefreshToken));
    }

    [Fact]
    public async Task A_token_signed_by_the_old_key_verifies_during_the_grace_period()
    {
        var verifier = Verifier();
        var before = await SignInAsync();
        Assert.True((await verifier.ValidateAsync(before.AccessToken)).IsValid);

        _emulator.RotateSigningKey();
        var after = await SignInAsync();
        _time.Advance(TimeSpan.FromSeconds(31)); // past the verifier's unknown-kid refetch throttle (30 s)
        var newToken = await verifier.ValidateAsync(after.AccessToken);
        var oldToken = await verifier.ValidateAsync(before.AccessToken);

        Assert.True(newToken.IsValid, newToken.Failure.ToString());
        Assert.True(oldToken.IsValid, oldToken.Failure.ToString());
        Assert.Equal(_emulator.CurrentSigningKeyId, TestSupport.Header(after.AccessToken).GetProperty("kid").GetString());
    }

    [Fact]
    public async Task Access_token_expiry_follows_the_injected_clock()
    {
        var verifier = Verifier();
        var signIn = await SignInAsync();

        var fresh = await verifier.ValidateAsync(signIn.AccessToken);
        _time.Advance(TimeSpan.FromSeconds(61));
        var stale = await verifier.ValidateAsync(signIn.AccessToken);

        Assert.True(fresh.IsValid);
        Assert.Equal(AccessTokenFailure.Expired, stale.Failure);
        Assert.True(AccessTokens.IsTokenExpiring(signIn.AccessToken, TimeSpan.Zero, _time));
    }

    [Fact]
    public async Task A_429_fault_surfaces_as_a_rate_limit_exception_with_retry_after()
    {
        var signIn = await SignInAsync();
        _emulator.InjectFault(EmulatorFault.RateLimit("/user_management/authenticate", TimeSpan.FromSeconds(4), grantType: "refresh_token"));

        var ex = await Assert.ThrowsAsync<WorkOSRateLimitException>(() => _client.AuthenticateWithRefreshTokenAsync(signIn.RefreshToken));
        var retried = await _client.AuthenticateWithRefreshTokenAsync(signIn.RefreshToken);

        Assert.Equal(TimeSpan.FromSeconds(4), ex.RetryAfter);
        Assert.Equal("org_acme", retried.OrganizationId);
        Assert.Equal(2, _emulator.RequestCounts.RefreshToken);
    }

    [Fact]
    public async Task A_wrong_api_key_is_an_unauthorized_exception()
    {
        var wrong = new AuthKitOptions();
        _emulator.ConfigureAuthKit(wrong);
        wrong.ApiKey = "sk_test_wrong";
        var client = new WorkOSUserManagementClient(new HttpClient(), Options.Create(wrong), _time);
        var (code, verifier) = await AuthorizeAsync();

        await Assert.ThrowsAsync<WorkOSUnauthorizedException>(() => client.AuthenticateWithCodeAsync(code, verifier));
    }

    [Fact]
    public async Task Memberships_and_organizations_are_read_through_the_client()
    {
        var memberships = await _client.ListOrganizationMembershipsAsync("user_alice");
        var org = await _client.GetOrganizationAsync("org_acme");

        Assert.Equal(["org_acme", "org_globex"], memberships.Select(m => m.OrganizationId));
        Assert.Equal(["admin", "member"], memberships.Select(m => m.Role));
        Assert.All(memberships, m => Assert.Equal("active", m.Status));
        Assert.Equal("Acme Corp", memberships[0].OrganizationName);
        Assert.Equal("Acme Corp", org.Name);
        Assert.Equal(_emulator.JwksUri, _client.GetJwksUrl());
    }

    private sealed class SimpleHttpClientFactory : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new();
    }
}
