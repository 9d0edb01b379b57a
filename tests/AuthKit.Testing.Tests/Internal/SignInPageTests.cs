using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Testing.Tests.Internal;

/// <summary>The HTML sign-in page driven over plain HTTP (forms posted by hand, cookies carried by hand).</summary>
public partial class SignInPageTests
{
    [GeneratedRegex("name=\"request\" value=\"([^\"]+)\"")]
    private static partial Regex RequestField();

    private static async Task<(string Html, string RequestId)> OpenPageAsync(HttpClient client, string url, string? cookie = null)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, url);
        if (cookie is not null)
        {
            message.Headers.Add("Cookie", cookie);
        }

        using var response = await client.SendAsync(message);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        return (html, RequestField().Match(html).Groups[1].Value);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, params (string Name, string Value)[] fields) =>
        client.PostAsync(path, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))));

    [Fact]
    public async Task The_page_lists_seeded_users_and_a_password_form_with_a_strict_csp()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator, withApiKey: false);

        using var response = await client.GetAsync(TestSupport.AuthorizeUrl(emulator, TestSupport.NewPkce().Challenge));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<html lang=\"en\">", html);
        foreach (var email in new[] { "alice@example.com", "bob@example.com", "charlie@example.com", "support@example.com" })
        {
            Assert.Contains(email, html);
        }

        Assert.Contains("type=\"password\"", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("form-action 'self' http://127.0.0.1:5999", csp);
    }

    [Fact]
    public async Task Hostile_login_hint_is_html_encoded()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator, withApiKey: false);
        var hint = "\"><script>alert(1)</script>";

        var (html, _) = await OpenPageAsync(client, TestSupport.AuthorizeUrl(emulator, TestSupport.NewPkce().Challenge, extra: new Dictionary<string, string?> { ["login_hint"] = hint }));

        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;", html);
    }

    [Fact]
    public async Task Login_hint_marks_the_matching_user_as_suggested()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator, withApiKey: false);

        var (html, _) = await OpenPageAsync(client, TestSupport.AuthorizeUrl(emulator, TestSupport.NewPkce().Challenge, extra: new Dictionary<string, string?> { ["login_hint"] = "bob@example.com" }));

        Assert.Matches("suggested\" autofocus name=\"user_id\" value=\"user_bob\"", html);
        Assert.Contains("value=\"bob@example.com\"", html);
    }

    [Fact]
    public async Task Clicking_a_single_organization_user_redirects_with_a_code_for_that_organization()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        var (verifier, challenge) = TestSupport.NewPkce();
        var (_, requestId) = await OpenPageAsync(client, TestSupport.AuthorizeUrl(emulator, challenge, state: "xyz"));

        using var response = await PostAsync(client, "user_management/authorize/continue", ("request", requestId), ("user_id", "user_bob"));
        var query = TestSupport.RedirectQuery(response);
        using var token = await TestSupport.ExchangeCodeAsync(client, emulator, query["code"], verifier);
        var body = await TestSupport.JsonAsync(token);

        Assert.Equal("xyz", query["state"]);
        Assert.Equal("user_bob", body.GetProperty("user").GetProperty("id").GetString());
        Assert.Equal("org_acme", body.GetProperty("organization_id").GetString());
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("workos_emulator_session=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_user_with_several_organizations_picks_one_and_the_code_is_bound_to_it()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        var (verifier, challenge) = TestSupport.NewPkce();
        var (_, requestId) = await OpenPageAsync(client, TestSupport.AuthorizeUrl(emulator, challenge));

        using var picker = await PostAsync(client, "user_management/authorize/continue", ("request", requestId), ("user_id", "user_alice"));
        var pickerHtml = await picker.Content.ReadAsStringAsync();
        using var chosen = await PostAsync(client, "user_management/authorize/organization", ("request", requestId), ("organization_id", "org_globex"));
        using var token = await TestSupport.ExchangeCodeAsync(client, emulator, TestSupport.RedirectQuery(chosen)["code"], verifier);
        var claims = TestSupport.Claims((await TestSupport.JsonAsync(token)).GetProperty("access_token").GetString()!);

        Assert.Equal(HttpStatusCode.OK, picker.StatusCode);
        Assert.Contains("Choose an organization", pickerHtml);
        Assert.Contains("Acme Corp", pickerHtml);
        Assert.Contains("Globex", pickerHtml);
        Assert.Equal("org_globex", claims.GetProperty("org_id").GetString());
        Assert.Equal("member", claims.GetProperty("role").GetString());
    }

    [Fact]
    public async Task The_picker_refuses_an_organization_the_user_is_not_in()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        var (_, requestId) = await OpenPageAsync(client, TestSupport.AuthorizeUrl(emulator, TestSupport.NewPkce().Challenge));
        using var picker = await PostAsync(client, "user_management/authorize/continue", ("request", requestId), ("user_id", "user_alice"));

        using var response = await PostAsync(client, "user_management/authorize/organization", ("request", requestId), ("organization_id", "org_other"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("role=\"alert\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Email_and_password_sign_in_checks_the_password()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        var (_, requestId) = await OpenPageAsync(client, TestSupport.AuthorizeUrl(emulator, TestSupport.NewPkce().Challenge));

        using var wrong = await PostAsync(client, "user_management/authorize/password", ("request", requestId), ("email", "bob@example.com"), ("password", "nope"));
        using var right = await PostAsync(client, "user_management/authorize/password", ("request", requestId), ("email", "BOB@example.com"), ("password", "password"));

        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("Incorrect email or password.", await wrong.Content.ReadAsStringAsync());
        Assert.True(TestSupport.RedirectQuery(right).ContainsKey("code"));
    }

    [Fact]
    public async Task A_finished_request_cannot_be_replayed()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        var (_, requestId) = await OpenPageAsync(client, TestSupport.AuthorizeUrl(emulator, TestSupport.NewPkce().Challenge));
        using var first = await PostAsync(client, "user_management/authorize/continue", ("request", requestId), ("user_id", "user_bob"));

        using var second = await PostAsync(client, "user_management/authorize/continue", ("request", requestId), ("user_id", "user_bob"));

        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Contains("expired", await second.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Screen_hint_sign_up_shows_the_sign_up_form_and_creates_a_user()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        var (verifier, challenge) = TestSupport.NewPkce();
        var (html, requestId) = await OpenPageAsync(client, TestSupport.AuthorizeUrl(emulator, challenge, extra: new Dictionary<string, string?> { ["screen_hint"] = "sign-up" }));

        using var taken = await PostAsync(client, "user_management/authorize/sign-up", ("request", requestId), ("email", "alice@example.com"), ("password", "long-enough"));
        using var created = await PostAsync(client, "user_management/authorize/sign-up", ("request", requestId), ("email", "dana@example.com"), ("first_name", "Dana"), ("last_name", "Doe"), ("password", "long-enough"));
        using var token = await TestSupport.ExchangeCodeAsync(client, emulator, TestSupport.RedirectQuery(created)["code"], verifier);
        var body = await TestSupport.JsonAsync(token);

        Assert.Contains("Create an account", html);
        Assert.Contains("already exists", await taken.Content.ReadAsStringAsync());
        Assert.Equal("dana@example.com", body.GetProperty("user").GetProperty("email").GetString());
        Assert.Equal("Dana", body.GetProperty("user").GetProperty("first_name").GetString());
        Assert.Equal(JsonValueKindNull, body.GetProperty("organization_id").ValueKind);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task A_remembered_sign_in_is_reused_silently_until_max_age_is_exceeded()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var emulator = await WorkOSEmulator.StartAsync(new WorkOSEmulatorOptions { TimeProvider = time });
        using var client = TestSupport.Client(emulator);
        var (_, requestId) = await OpenPageAsync(client, TestSupport.AuthorizeUrl(emulator, TestSupport.NewPkce().Challenge));
        using var signedIn = await PostAsync(client, "user_management/authorize/continue", ("request", requestId), ("user_id", "user_bob"));
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        var maxAge = new Dictionary<string, string?> { ["max_age"] = "300" };

        time.Advance(TimeSpan.FromMinutes(4));
        var (verifier, challenge) = TestSupport.NewPkce();
        using var silent = new HttpRequestMessage(HttpMethod.Get, TestSupport.AuthorizeUrl(emulator, challenge, extra: maxAge));
        silent.Headers.Add("Cookie", cookie);
        using var silentResponse = await client.SendAsync(silent);
        using var token = await TestSupport.ExchangeCodeAsync(client, emulator, TestSupport.RedirectQuery(silentResponse)["code"], verifier);
        var claims = TestSupport.Claims((await TestSupport.JsonAsync(token)).GetProperty("access_token").GetString()!);

        time.Advance(TimeSpan.FromMinutes(2));
        var (staleHtml, _) = await OpenPageAsync(client, TestSupport.AuthorizeUrl(emulator, TestSupport.NewPkce().Challenge, extra: maxAge), cookie);

        Assert.Equal(DateTimeOffset.Parse("2026-03-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds(), claims.GetProperty("auth_time").GetInt64());
        Assert.Contains("sign in again", staleHtml);
        Assert.Contains("suggested\" autofocus name=\"user_id\" value=\"user_bob\"", staleHtml);
    }

    [Fact]
    public async Task Prompt_login_shows_the_page_even_with_a_remembered_sign_in()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        var (_, requestId) = await OpenPageAsync(client, TestSupport.AuthorizeUrl(emulator, TestSupport.NewPkce().Challenge));
        using var signedIn = await PostAsync(client, "user_management/authorize/continue", ("request", requestId), ("user_id", "user_bob"));
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single().Split(';')[0];

        var (html, _) = await OpenPageAsync(client, TestSupport.AuthorizeUrl(emulator, TestSupport.NewPkce().Challenge, extra: new Dictionary<string, string?> { ["prompt"] = "login" }), cookie);

        Assert.Contains("Test users", html);
    }
}
