using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Testing.Tests.Internal;

public class AuthorizeEndpointTests
{
    private static WorkOSEmulatorOptions Auto(string email = "bob@example.com") => new() { AutoSignInEmail = email };

    [Fact]
    public async Task Auto_mode_redirects_back_with_a_code_and_the_state()
    {
        await using var emulator = await WorkOSEmulator.StartAsync(Auto());
        using var client = TestSupport.Client(emulator, withApiKey: false);
        var (_, challenge) = TestSupport.NewPkce();

        using var response = await client.GetAsync(TestSupport.AuthorizeUrl(emulator, challenge, state: "s t/ä"));

        var query = TestSupport.RedirectQuery(response);
        Assert.StartsWith(TestSupport.RedirectUri + "?", response.Headers.Location!.ToString());
        Assert.False(string.IsNullOrEmpty(query["code"]));
        Assert.Equal("s t/ä", query["state"]);
        Assert.Equal(1, emulator.RequestCounts.Authorize);
    }

    [Fact]
    public async Task Redirect_uri_with_its_own_query_keeps_it()
    {
        await using var emulator = await WorkOSEmulator.StartAsync(Auto());
        using var client = TestSupport.Client(emulator, withApiKey: false);
        var (_, challenge) = TestSupport.NewPkce();

        using var response = await client.GetAsync(TestSupport.AuthorizeUrl(emulator, challenge, redirectUri: "http://localhost:7000/cb?tenant=a"));

        Assert.StartsWith("http://localhost:7000/cb?tenant=a&code=", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Unknown_client_id_gets_an_error_page_not_a_redirect()
    {
        await using var emulator = await WorkOSEmulator.StartAsync(Auto());
        using var client = TestSupport.Client(emulator, withApiKey: false);
        var url = TestSupport.AuthorizeUrl(emulator, TestSupport.NewPkce().Challenge).Replace("client_emulator", "client_other", StringComparison.Ordinal);

        using var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("https://evil.example/callback")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/relative/callback")]
    [InlineData("http://127.0.0.1:5999/cb#fragment")]
    [InlineData("http://user:pw@127.0.0.1/cb")]
    public async Task Disallowed_redirect_uris_get_an_error_page(string redirectUri)
    {
        await using var emulator = await WorkOSEmulator.StartAsync(Auto());
        using var client = TestSupport.Client(emulator, withApiKey: false);

        using var response = await client.GetAsync(TestSupport.AuthorizeUrl(emulator, TestSupport.NewPkce().Challenge, redirectUri: redirectUri));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Allow_listed_hosts_are_accepted_as_redirect_uris()
    {
        var options = Auto();
        options.AllowedRedirectHosts.Add("app.test");
        await using var emulator = await WorkOSEmulator.StartAsync(options);
        using var client = TestSupport.Client(emulator, withApiKey: false);

        using var response = await client.GetAsync(TestSupport.AuthorizeUrl(emulator, TestSupport.NewPkce().Challenge, redirectUri: "https://app.test/callback"));

        Assert.True(TestSupport.RedirectQuery(response).ContainsKey("code"));
    }

    [Theory]
    [InlineData("provider", "GoogleOAuth")]
    [InlineData("connection_id", "conn_01ABC")]
    [InlineData("domain_hint", "example.com")]
    [InlineData("invitation_token", "inv_tok_123")]
    [InlineData("login_hint", "bob@example.com")]
    public async Task Authorization_options_are_accepted_and_recorded(string name, string value)
    {
        await using var emulator = await WorkOSEmulator.StartAsync(Auto());
        using var client = TestSupport.Client(emulator, withApiKey: false);
        var url = TestSupport.AuthorizeUrl(emulator, TestSupport.NewPkce().Challenge, state: "st", extra: new Dictionary<string, string?> { [name] = value });

        using var response = await client.GetAsync(url);

        Assert.True(TestSupport.RedirectQuery(response).ContainsKey("code"));
        Assert.Equal(value, emulator.LastAuthorizationQuery[name]);
    }

    [Theory]
    [InlineData("code_challenge", null, "invalid_request")]
    [InlineData("code_challenge", "short", "invalid_request")]
    [InlineData("code_challenge_method", "plain", "invalid_request")]
    [InlineData("code_challenge_method", null, "invalid_request")]
    [InlineData("response_type", "token", "unsupported_response_type")]
    [InlineData("provider", "FacebookOAuth", "invalid_request")]
    [InlineData("connection_id", "not-a-connection", "invalid_request")]
    [InlineData("prompt", "sometimes", "invalid_request")]
    [InlineData("max_age", "-5", "invalid_request")]
    [InlineData("screen_hint", "register", "invalid_request")]
    [InlineData("organization_id", "org_missing", "invalid_request")]
    public async Task Bad_parameters_go_back_to_the_redirect_uri_as_errors(string name, string? value, string error)
    {
        await using var emulator = await WorkOSEmulator.StartAsync(Auto());
        using var client = TestSupport.Client(emulator, withApiKey: false);
        var url = TestSupport.AuthorizeUrl(emulator, TestSupport.NewPkce().Challenge, state: "st", extra: new Dictionary<string, string?> { [name] = value });

        using var response = await client.GetAsync(url);

        var query = TestSupport.RedirectQuery(response);
        Assert.Equal(error, query["error"]);
        Assert.Equal("st", query["state"]);
        Assert.False(query.ContainsKey("code"));
        Assert.False(string.IsNullOrEmpty(query["error_description"]));
    }

    [Fact]
    public async Task Login_hint_picks_the_user_in_auto_mode()
    {
        await using var emulator = await WorkOSEmulator.StartAsync(Auto("bob@example.com"));
        using var client = TestSupport.Client(emulator);

        var body = await TestSupport.SignInAsync(emulator, client, new Dictionary<string, string?> { ["login_hint"] = "charlie@example.com" });

        Assert.Equal("user_charlie", body.GetProperty("user").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Organization_id_scopes_the_code_for_a_member_and_is_refused_for_others()
    {
        await using var emulator = await WorkOSEmulator.StartAsync(Auto("alice@example.com"));
        using var client = TestSupport.Client(emulator);

        var body = await TestSupport.SignInAsync(emulator, client, new Dictionary<string, string?> { ["organization_id"] = "org_globex" });
        emulator.SetAutoSignIn("bob@example.com");
        using var refused = await client.GetAsync(TestSupport.AuthorizeUrl(emulator, TestSupport.NewPkce().Challenge, extra: new Dictionary<string, string?> { ["organization_id"] = "org_globex" }));

        Assert.Equal("org_globex", body.GetProperty("organization_id").GetString());
        Assert.Equal("access_denied", TestSupport.RedirectQuery(refused)["error"]);
    }

    [Fact]
    public async Task Prompt_none_without_a_remembered_sign_in_returns_login_required()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator, withApiKey: false);

        using var response = await client.GetAsync(TestSupport.AuthorizeUrl(emulator, TestSupport.NewPkce().Challenge, extra: new Dictionary<string, string?> { ["prompt"] = "none" }));

        Assert.Equal("login_required", TestSupport.RedirectQuery(response)["error"]);
    }

    [Fact]
    public async Task Auto_mode_can_be_switched_off_to_show_the_page_again()
    {
        await using var emulator = await WorkOSEmulator.StartAsync(Auto());
        using var client = TestSupport.Client(emulator, withApiKey: false);

        emulator.SetAutoSignIn(null);
        using var response = await client.GetAsync(TestSupport.AuthorizeUrl(emulator, TestSupport.NewPkce().Challenge));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("alice@example.com", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Expired_codes_are_rejected_by_the_injected_clock()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var emulator = await WorkOSEmulator.StartAsync(new WorkOSEmulatorOptions { AutoSignInEmail = "bob@example.com", TimeProvider = time, CodeLifetime = TimeSpan.FromMinutes(10) });
        using var client = TestSupport.Client(emulator);
        var (code, verifier) = await TestSupport.AuthorizeAsync(emulator, client);

        time.Advance(TimeSpan.FromMinutes(10));
        using var response = await TestSupport.ExchangeCodeAsync(client, emulator, code, verifier);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (await TestSupport.JsonAsync(response)).GetProperty("error").GetString());
    }
}
