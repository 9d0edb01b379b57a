using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Testing.Tests.Internal;

/// <summary>The 403 continuation steps of the code exchange and the grants that complete them, in WorkOS's shapes.</summary>
public class ContinuationStepTests
{
    private const string TotpSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    private static EmulatorSeed Seed()
    {
        var seed = EmulatorSeed.Demo;
        seed.Users.Add(new EmulatorUser { Id = "user_dana", Email = "dana@example.com", FirstName = "Dana", EmailVerified = false });
        seed.Users.Add(new EmulatorUser { Id = "user_tess", Email = "tess@example.com", FirstName = "Tess", TotpSecret = TotpSecret });
        seed.Users.Add(new EmulatorUser { Id = "user_una", Email = "una@example.com", EmailVerified = false, TotpSecret = TotpSecret });
        seed.Organizations[0].Memberships.Add(new EmulatorMembership { UserId = "user_una", Role = "member" });
        seed.Organizations[1].Memberships.Add(new EmulatorMembership { UserId = "user_una", Role = "member" });
        return seed;
    }

    private static Task<WorkOSEmulator> StartAsync(string email, TimeProvider? time = null, TimeSpan? emailCodeLifetime = null) =>
        WorkOSEmulator.StartAsync(new WorkOSEmulatorOptions
        {
            AutoSignInEmail = email,
            Seed = Seed(),
            TimeProvider = time ?? TimeProvider.System,
            EmailVerificationCodeLifetime = emailCodeLifetime ?? TimeSpan.FromMinutes(10),
        });

    private static async Task<(HttpResponseMessage Response, JsonElement Body)> ExchangeAsync(WorkOSEmulator emulator, HttpClient client)
    {
        var (code, verifier) = await TestSupport.AuthorizeAsync(emulator, client);
        var response = await TestSupport.ExchangeCodeAsync(client, emulator, code, verifier);
        return (response, await TestSupport.JsonAsync(response));
    }

    private static Task<HttpResponseMessage> GrantAsync(HttpClient client, WorkOSEmulator emulator, string grant, object fields)
    {
        var body = JsonSerializer.SerializeToNode(fields)!.AsObject();
        body["grant_type"] = grant;
        body["client_id"] = emulator.ClientId;
        body["client_secret"] = emulator.ApiKey;
        return TestSupport.AuthenticateAsync(client, emulator, body);
    }

    [Fact]
    public async Task An_unverified_user_gets_email_verification_required_and_the_code_grant_completes_it()
    {
        await using var emulator = await StartAsync("dana@example.com");
        using var client = TestSupport.Client(emulator);

        var (required, pending) = await ExchangeAsync(emulator, client);
        var code = emulator.GetEmailVerificationCode("dana@example.com");
        using var verified = await GrantAsync(client, emulator, "urn:workos:oauth:grant-type:email-verification:code",
            new { code, pending_authentication_token = pending.GetProperty("pending_authentication_token").GetString() });
        var body = await TestSupport.JsonAsync(verified);

        Assert.Equal(HttpStatusCode.Forbidden, required.StatusCode);
        Assert.Equal("email_verification_required", pending.GetProperty("code").GetString());
        Assert.StartsWith("email_verification_", pending.GetProperty("email_verification_id").GetString());
        Assert.Equal("dana@example.com", pending.GetProperty("email").GetString());
        Assert.Equal("user_dana", pending.GetProperty("user").GetProperty("id").GetString());
        Assert.Matches("^[0-9]{6}$", code);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.True(body.GetProperty("user").GetProperty("email_verified").GetBoolean());
        Assert.Equal(1, emulator.RequestCounts.EmailVerification);
    }

    [Fact]
    public async Task A_wrong_email_code_is_invalid_code_and_keeps_the_pending_token_usable()
    {
        await using var emulator = await StartAsync("dana@example.com");
        using var client = TestSupport.Client(emulator);
        var (_, pending) = await ExchangeAsync(emulator, client);
        var token = pending.GetProperty("pending_authentication_token").GetString();
        var code = emulator.GetEmailVerificationCode("dana@example.com")!;
        var wrongCode = code == "000000" ? "111111" : "000000";

        using var wrong = await GrantAsync(client, emulator, "urn:workos:oauth:grant-type:email-verification:code", new { code = wrongCode, pending_authentication_token = token });
        using var right = await GrantAsync(client, emulator, "urn:workos:oauth:grant-type:email-verification:code", new { code, pending_authentication_token = token });

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal("invalid_code", (await TestSupport.JsonAsync(wrong)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task An_email_code_past_its_lifetime_on_the_emulator_clock_is_expired_code()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var emulator = await StartAsync("dana@example.com", time, TimeSpan.FromMinutes(2));
        using var client = TestSupport.Client(emulator);
        var (_, pending) = await ExchangeAsync(emulator, client);
        var code = emulator.GetEmailVerificationCode("dana@example.com");

        time.Advance(TimeSpan.FromMinutes(3));
        using var expired = await GrantAsync(client, emulator, "urn:workos:oauth:grant-type:email-verification:code",
            new { code, pending_authentication_token = pending.GetProperty("pending_authentication_token").GetString() });

        Assert.Equal(HttpStatusCode.BadRequest, expired.StatusCode);
        Assert.Equal("expired_code", (await TestSupport.JsonAsync(expired)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_control_surface_shows_the_email_code()
    {
        await using var emulator = await StartAsync("dana@example.com");
        using var client = TestSupport.Client(emulator);
        await ExchangeAsync(emulator, client);

        using var response = await client.GetAsync("_emulator/email-verifications?email=dana@example.com");
        using var none = await client.GetAsync("_emulator/email-verifications?email=bob@example.com");
        var body = await TestSupport.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(emulator.GetEmailVerificationCode("dana@example.com"), body.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    [Fact]
    public async Task A_user_with_a_totp_factor_gets_mfa_challenge_and_the_totp_grant_completes_it()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var emulator = await StartAsync("tess@example.com", time);
        using var client = TestSupport.Client(emulator);

        var (required, pending) = await ExchangeAsync(emulator, client);
        var token = pending.GetProperty("pending_authentication_token").GetString();
        var challengeId = pending.GetProperty("authentication_challenge").GetProperty("id").GetString();
        var right = EmulatorTotp.ComputeCode(TotpSecret, time.GetUtcNow());
        using var wrong = await GrantAsync(client, emulator, "urn:workos:oauth:grant-type:mfa-totp",
            new { code = right == "123456" ? "654321" : "123456", pending_authentication_token = token, authentication_challenge_id = challengeId });
        using var accepted = await GrantAsync(client, emulator, "urn:workos:oauth:grant-type:mfa-totp",
            new { code = right, pending_authentication_token = token, authentication_challenge_id = challengeId });

        Assert.Equal(HttpStatusCode.Forbidden, required.StatusCode);
        Assert.Equal("mfa_challenge", pending.GetProperty("code").GetString());
        var factor = pending.GetProperty("authentication_factors")[0];
        Assert.Equal("totp", factor.GetProperty("type").GetString());
        Assert.Equal("auth_factor_user_tess", factor.GetProperty("id").GetString());
        Assert.Equal("auth_factor_user_tess", pending.GetProperty("authentication_challenge").GetProperty("authentication_factor_id").GetString());
        Assert.Equal("invalid_one_time_code", (await TestSupport.JsonAsync(wrong)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("user_tess", (await TestSupport.JsonAsync(accepted)).GetProperty("user").GetProperty("id").GetString());
        Assert.Equal(2, emulator.RequestCounts.MfaTotp);
    }

    [Fact]
    public async Task A_factor_can_be_challenged_again()
    {
        await using var emulator = await StartAsync("tess@example.com");
        using var client = TestSupport.Client(emulator);

        using var response = await client.PostAsync("auth/factors/auth_factor_user_tess/challenge", null);
        using var unknown = await client.PostAsync("auth/factors/auth_factor_nobody/challenge", null);
        var body = await TestSupport.JsonAsync(response);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("authentication_challenge", body.GetProperty("object").GetString());
        Assert.StartsWith("auth_challenge_", body.GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task The_steps_chain_in_workos_order_email_then_mfa_then_organization()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var emulator = await StartAsync("una@example.com", time);
        using var client = TestSupport.Client(emulator);

        var (_, first) = await ExchangeAsync(emulator, client);
        using var afterEmail = await GrantAsync(client, emulator, "urn:workos:oauth:grant-type:email-verification:code",
            new { code = emulator.GetEmailVerificationCode("una@example.com"), pending_authentication_token = first.GetProperty("pending_authentication_token").GetString() });
        var second = await TestSupport.JsonAsync(afterEmail);
        using var afterMfa = await GrantAsync(client, emulator, "urn:workos:oauth:grant-type:mfa-totp", new
        {
            code = EmulatorTotp.ComputeCode(TotpSecret, time.GetUtcNow()),
            pending_authentication_token = second.GetProperty("pending_authentication_token").GetString(),
            authentication_challenge_id = second.GetProperty("authentication_challenge").GetProperty("id").GetString(),
        });
        var third = await TestSupport.JsonAsync(afterMfa);
        using var done = await GrantAsync(client, emulator, "urn:workos:oauth:grant-type:organization-selection",
            new { organization_id = "org_globex", pending_authentication_token = third.GetProperty("pending_authentication_token").GetString() });

        Assert.Equal("email_verification_required", first.GetProperty("code").GetString());
        Assert.Equal("mfa_challenge", second.GetProperty("code").GetString());
        Assert.Equal("organization_selection_required", third.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal("org_globex", (await TestSupport.JsonAsync(done)).GetProperty("organization_id").GetString());
    }

    [Fact]
    public async Task An_unknown_pending_token_is_invalid_pending_authentication_token_on_every_step_grant()
    {
        await using var emulator = await StartAsync("bob@example.com");
        using var client = TestSupport.Client(emulator);

        using var email = await GrantAsync(client, emulator, "urn:workos:oauth:grant-type:email-verification:code", new { code = "123456", pending_authentication_token = "nope" });
        using var totp = await GrantAsync(client, emulator, "urn:workos:oauth:grant-type:mfa-totp", new { code = "123456", pending_authentication_token = "nope", authentication_challenge_id = "c" });
        using var org = await GrantAsync(client, emulator, "urn:workos:oauth:grant-type:organization-selection", new { organization_id = "org_acme", pending_authentication_token = "nope" });

        foreach (var response in new[] { email, totp, org })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_pending_authentication_token", (await TestSupport.JsonAsync(response)).GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task Selecting_an_organization_the_user_is_not_a_member_of_is_organization_membership_not_found_and_can_be_retried()
    {
        await using var emulator = await StartAsync("bob@example.com");
        using var client = TestSupport.Client(emulator);
        emulator.SetAutoSignIn("alice@example.com");
        var (_, pending) = await ExchangeAsync(emulator, client);
        var token = pending.GetProperty("pending_authentication_token").GetString();
        emulator.SetMembershipStatus("user_alice", "org_globex", "inactive");

        using var refused = await GrantAsync(client, emulator, "urn:workos:oauth:grant-type:organization-selection", new { organization_id = "org_globex", pending_authentication_token = token });
        using var accepted = await GrantAsync(client, emulator, "urn:workos:oauth:grant-type:organization-selection", new { organization_id = "org_acme", pending_authentication_token = token });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("organization_membership_not_found", (await TestSupport.JsonAsync(refused)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task A_user_who_picks_the_organization_in_the_application_is_not_asked_by_the_sign_in_page()
    {
        var seed = EmulatorSeed.Demo;
        seed.Users.Add(new EmulatorUser { Id = "user_olga", Email = "olga@example.com", Password = "password", PicksOrganizationInApplication = true });
        seed.Organizations[0].Memberships.Add(new EmulatorMembership { UserId = "user_olga" });
        seed.Organizations[1].Memberships.Add(new EmulatorMembership { UserId = "user_olga" });
        await using var emulator = await WorkOSEmulator.StartAsync(new WorkOSEmulatorOptions { Seed = seed, RememberBrowserSignIn = false });
        using var client = TestSupport.Client(emulator);
        var (verifier, challenge) = TestSupport.NewPkce();
        using var page = await client.GetAsync(TestSupport.AuthorizeUrl(emulator, challenge));
        var requestId = System.Text.RegularExpressions.Regex.Match(await page.Content.ReadAsStringAsync(), "name=\"request\" value=\"([^\"]+)\"").Groups[1].Value;

        using var signedIn = await client.PostAsync("user_management/authorize/continue",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["request"] = requestId, ["user_id"] = "user_olga" }));
        var code = TestSupport.RedirectQuery(signedIn)["code"];
        using var exchange = await TestSupport.ExchangeCodeAsync(client, emulator, code, verifier);

        Assert.Equal(HttpStatusCode.Forbidden, exchange.StatusCode);
        Assert.Equal("organization_selection_required", (await TestSupport.JsonAsync(exchange)).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 59L, "287082")]            // RFC 6238 appendix B, SHA-1 seed "12345678901234567890", T=59
    [InlineData("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 1111111109L, "081804")]    // RFC 6238 appendix B, T=1111111109
    [InlineData("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 1234567890L, "005924")]    // RFC 6238 appendix B, T=1234567890
    public void Totp_codes_follow_rfc_6238(string secret, long unixSeconds, string expected)
    {
        Assert.Equal(expected, EmulatorTotp.ComputeCode(secret, DateTimeOffset.FromUnixTimeSeconds(unixSeconds)));
    }

    [Fact]
    public void A_seed_with_a_totp_secret_that_is_not_base32_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => EmulatorSeed.FromJson("""{"users":[{"id":"u1","email":"u@x.test","totp_secret":"not base32!"}]}"""));
        Assert.Contains("TOTP secret", ex.Message);
    }
}
