using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Testing.Tests.Internal;

public class AuthenticateEndpointTests
{
    private static Task<WorkOSEmulator> StartAsync(string email = "bob@example.com", TimeProvider? time = null) =>
        WorkOSEmulator.StartAsync(new WorkOSEmulatorOptions { AutoSignInEmail = email, TimeProvider = time ?? TimeProvider.System });

    [Fact]
    public async Task Code_grant_returns_the_user_tokens_and_organization_in_wire_format()
    {
        await using var emulator = await StartAsync();
        using var client = TestSupport.Client(emulator);

        var body = await TestSupport.SignInAsync(emulator, client);

        var user = body.GetProperty("user");
        Assert.Equal("user", user.GetProperty("object").GetString());
        Assert.Equal("user_bob", user.GetProperty("id").GetString());
        Assert.Equal("bob@example.com", user.GetProperty("email").GetString());
        Assert.True(user.GetProperty("email_verified").GetBoolean());
        Assert.Equal("Bob", user.GetProperty("first_name").GetString());
        Assert.Equal("Brown", user.GetProperty("last_name").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", user.GetProperty("last_sign_in_at").GetString());
        foreach (var name in new[] { "profile_picture_url", "external_id", "locale", "name", "created_at", "updated_at" })
        {
            Assert.True(user.TryGetProperty(name, out _), name);
        }

        Assert.Equal(JsonValueKind.Object, user.GetProperty("metadata").ValueKind);
        Assert.Equal("org_acme", body.GetProperty("organization_id").GetString());
        Assert.Equal(3, body.GetProperty("access_token").GetString()!.Split('.').Length);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("refresh_token").GetString()));
        Assert.Equal("Password", body.GetProperty("authentication_method").GetString());
        Assert.False(body.TryGetProperty("impersonator", out _));
    }

    [Fact]
    public async Task A_wrong_code_verifier_is_invalid_grant_and_burns_the_code()
    {
        await using var emulator = await StartAsync();
        using var client = TestSupport.Client(emulator);
        var (code, verifier) = await TestSupport.AuthorizeAsync(emulator, client);

        using var wrong = await TestSupport.ExchangeCodeAsync(client, emulator, code, TestSupport.NewPkce().Verifier);
        using var retry = await TestSupport.ExchangeCodeAsync(client, emulator, code, verifier);

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal("invalid_grant", (await TestSupport.JsonAsync(wrong)).GetProperty("error").GetString());
        Assert.Equal("invalid_grant", (await TestSupport.JsonAsync(retry)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Codes_are_single_use()
    {
        await using var emulator = await StartAsync();
        using var client = TestSupport.Client(emulator);
        var (code, verifier) = await TestSupport.AuthorizeAsync(emulator, client);

        using var first = await TestSupport.ExchangeCodeAsync(client, emulator, code, verifier);
        using var second = await TestSupport.ExchangeCodeAsync(client, emulator, code, verifier);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        var error = await TestSupport.JsonAsync(second);
        Assert.Equal("invalid_grant", error.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("error_description").GetString()));
    }

    [Fact]
    public async Task Codes_live_for_the_configured_lifetime_on_the_injected_clock()
    {
        var time = new FakeTimeProvider();
        await using var emulator = await StartAsync(time: time);
        using var client = TestSupport.Client(emulator);
        var (code, verifier) = await TestSupport.AuthorizeAsync(emulator, client);

        time.Advance(TimeSpan.FromMinutes(9));
        using var response = await TestSupport.ExchangeCodeAsync(client, emulator, code, verifier);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("Bearer sk_wrong", "sk_test_emulator")]
    [InlineData(null, "sk_wrong")]
    [InlineData(null, null)]
    [InlineData("Bearer sk_test_emulator", "sk_wrong")]
    public async Task A_missing_or_wrong_api_key_is_401(string? authorization, string? clientSecret)
    {
        await using var emulator = await StartAsync();
        using var client = TestSupport.Client(emulator, withApiKey: false);
        var (code, verifier) = await TestSupport.AuthorizeAsync(emulator, client);
        using var request = new HttpRequestMessage(HttpMethod.Post, "user_management/authenticate")
        {
            Content = JsonContent.Create(new { grant_type = "authorization_code", client_id = emulator.ClientId, client_secret = clientSecret, code, code_verifier = verifier }),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await TestSupport.JsonAsync(response);
        Assert.Equal("Unauthorized", body.GetProperty("message").GetString());
        Assert.Equal("unauthorized", body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_api_key_in_the_authorization_header_alone_is_enough()
    {
        await using var emulator = await StartAsync();
        using var client = TestSupport.Client(emulator);
        var (code, verifier) = await TestSupport.AuthorizeAsync(emulator, client);

        using var response = await TestSupport.AuthenticateAsync(client, emulator, new { grant_type = "authorization_code", client_id = emulator.ClientId, code, code_verifier = verifier });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_form_encoded_body_is_accepted()
    {
        await using var emulator = await StartAsync();
        using var client = TestSupport.Client(emulator, withApiKey: false);
        var (code, verifier) = await TestSupport.AuthorizeAsync(emulator, client);

        using var response = await client.PostAsync("user_management/authenticate", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = emulator.ClientId, ["client_secret"] = emulator.ApiKey, ["code"] = code, ["code_verifier"] = verifier,
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"client_id":"client_emulator","code":"c","code_verifier":"v"}""", "invalid_request")]
    [InlineData("""{"grant_type":"password","client_id":"client_emulator"}""", "invalid_request")]
    [InlineData("""{"grant_type":"authorization_code","client_id":"client_emulator","code_verifier":"v"}""", "invalid_request")]
    [InlineData("""{"grant_type":"authorization_code","client_id":"client_emulator","code":"c"}""", "invalid_request")]
    [InlineData("""{"grant_type":"refresh_token","client_id":"client_emulator"}""", "invalid_request")]
    [InlineData("""{"grant_type":"urn:workos:oauth:grant-type:organization-selection","client_id":"client_emulator","organization_id":"org_acme"}""", "invalid_request")]
    [InlineData("""{"grant_type":"refresh_token","refresh_token":"x"}""", "invalid_request")]
    [InlineData("""{"grant_type":"refresh_token","client_id":"client_other","refresh_token":"x"}""", "invalid_client")]
    [InlineData("""[1,2,3]""", "invalid_request")]
    [InlineData("""{ broken""", "invalid_request")]
    public async Task Malformed_requests_are_400_with_an_oauth_error(string json, string error)
    {
        await using var emulator = await StartAsync();
        using var client = TestSupport.Client(emulator);

        using var response = await client.PostAsync("user_management/authenticate", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, (await TestSupport.JsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_user_with_several_organizations_gets_organization_selection_required_then_selects()
    {
        await using var emulator = await StartAsync("alice@example.com");
        using var client = TestSupport.Client(emulator);
        var (code, verifier) = await TestSupport.AuthorizeAsync(emulator, client);

        using var required = await TestSupport.ExchangeCodeAsync(client, emulator, code, verifier);
        var pending = await TestSupport.JsonAsync(required);
        var token = pending.GetProperty("pending_authentication_token").GetString()!;
        using var selected = await TestSupport.AuthenticateAsync(client, emulator, new
        {
            grant_type = "urn:workos:oauth:grant-type:organization-selection", client_id = emulator.ClientId, client_secret = emulator.ApiKey,
            pending_authentication_token = token, organization_id = "org_acme",
        });
        var body = await TestSupport.JsonAsync(selected);

        Assert.Equal(HttpStatusCode.Forbidden, required.StatusCode);
        Assert.Equal("organization_selection_required", pending.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(pending.GetProperty("message").GetString()));
        Assert.Equal(["org_acme", "org_globex"], pending.GetProperty("organizations").EnumerateArray().Select(o => o.GetProperty("id").GetString()));
        Assert.Equal(["Acme Corp", "Globex"], pending.GetProperty("organizations").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
        Assert.Equal("user_alice", pending.GetProperty("user").GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, selected.StatusCode);
        Assert.Equal("org_acme", body.GetProperty("organization_id").GetString());
        Assert.Equal("admin", TestSupport.Claims(body.GetProperty("access_token").GetString()!).GetProperty("role").GetString());
        Assert.Equal(1, emulator.RequestCounts.OrganizationSelection);
    }

    [Fact]
    public async Task Organization_selection_refuses_a_foreign_organization_and_keeps_the_pending_token_usable()
    {
        await using var emulator = await StartAsync("alice@example.com");
        using var client = TestSupport.Client(emulator);
        var (code, verifier) = await TestSupport.AuthorizeAsync(emulator, client);
        using var required = await TestSupport.ExchangeCodeAsync(client, emulator, code, verifier);
        var token = (await TestSupport.JsonAsync(required)).GetProperty("pending_authentication_token").GetString()!;
        object Select(string org) => new
        {
            grant_type = "urn:workos:oauth:grant-type:organization-selection", client_id = emulator.ClientId, pending_authentication_token = token, organization_id = org,
        };

        using var refused = await TestSupport.AuthenticateAsync(client, emulator, Select("org_elsewhere"));
        using var accepted = await TestSupport.AuthenticateAsync(client, emulator, Select("org_globex"));
        using var reused = await TestSupport.AuthenticateAsync(client, emulator, Select("org_globex"));

        // WorkOS's shapes: the urn:workos: grants fail with {code, message}, not the OAuth {error, error_description}.
        // An unknown organization is a 404, as WorkOS answers it.
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Equal("invalid_pending_authentication_token", (await TestSupport.JsonAsync(reused)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Auto_organization_option_skips_the_selection()
    {
        await using var emulator = await WorkOSEmulator.StartAsync(new WorkOSEmulatorOptions { AutoSignInEmail = "alice@example.com", AutoSignInOrganizationId = "org_globex" });
        using var client = TestSupport.Client(emulator);

        var body = await TestSupport.SignInAsync(emulator, client);

        Assert.Equal("org_globex", body.GetProperty("organization_id").GetString());
    }

    [Fact]
    public async Task A_user_without_memberships_gets_a_session_without_organization()
    {
        await using var emulator = await StartAsync("support@example.com");
        using var client = TestSupport.Client(emulator);

        var body = await TestSupport.SignInAsync(emulator, client);
        var claims = TestSupport.Claims(body.GetProperty("access_token").GetString()!);

        Assert.Equal(JsonValueKind.Null, body.GetProperty("organization_id").ValueKind);
        Assert.False(claims.TryGetProperty("org_id", out _));
        Assert.False(claims.TryGetProperty("role", out _));
        Assert.False(claims.TryGetProperty("permissions", out _));
    }

    [Fact]
    public async Task Request_counts_are_kept_per_grant_type()
    {
        await using var emulator = await StartAsync();
        using var client = TestSupport.Client(emulator);
        var body = await TestSupport.SignInAsync(emulator, client);

        using var refresh = await TestSupport.RefreshAsync(client, emulator, body.GetProperty("refresh_token").GetString()!);
        using var replay = await TestSupport.RefreshAsync(client, emulator, body.GetProperty("refresh_token").GetString()!);
        var counts = emulator.RequestCounts;

        Assert.Equal(1, counts.Authorize);
        Assert.Equal(1, counts.AuthorizationCode);
        Assert.Equal(2, counts.RefreshToken);
        Assert.Equal(1, counts.RejectedRefreshTokens);
        Assert.Equal(1, counts.ActiveSessions);
        Assert.Equal(4, counts.Total);

        emulator.ResetRequestCounts();
        Assert.Equal(0, emulator.RequestCounts.RefreshToken);
        Assert.Equal(1, emulator.RequestCounts.ActiveSessions);
    }
}
