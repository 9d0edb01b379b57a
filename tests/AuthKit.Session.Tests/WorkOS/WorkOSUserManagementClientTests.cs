using System.Net;
using System.Text.Json;
using System.Web;
using AuthKit.Session.Tests.Fakes;

namespace AuthKit.Session.Tests.WorkOS;

public sealed class WorkOSUserManagementClientTests : IDisposable
{
    private readonly FakeWorkOS _workos = new();

    public void Dispose() => _workos.Dispose();

    private WorkOSUserManagementClient CreateClient(Action<AuthKitOptions>? configure = null) =>
        new(new HttpClient(_workos, disposeHandler: false), TestOptions.Wrap(TestOptions.Create(configure)), _workos.Time);

    [Fact]
    public void Authorization_url_carries_every_parameter_and_drops_empty_ones()
    {
        var client = CreateClient();

        var url = client.GetAuthorizationUrl(new AuthorizationUrlRequest
        {
            RedirectUri = "https://app.example.test/callback",
            State = "sealed+state/=",
            CodeChallenge = "challenge_abc",
            ScreenHint = "sign-up",
            OrganizationId = "org_acme",
            LoginHint = "alice@example.com",
            DomainHint = "example.com",
            Prompt = "login",
            MaxAge = TimeSpan.FromSeconds(300),
            Provider = "GoogleOAuth",
            ConnectionId = "conn_123",
            InvitationToken = "inv_456",
        });

        Assert.Equal("https://api.workos.test/user_management/authorize", url.GetLeftPart(UriPartial.Path));
        var query = HttpUtility.ParseQueryString(url.Query);
        Assert.Equal(FakeWorkOS.ClientId, query["client_id"]);
        Assert.Equal("https://app.example.test/callback", query["redirect_uri"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("GoogleOAuth", query["provider"]);
        Assert.Equal("conn_123", query["connection_id"]);
        Assert.Equal("inv_456", query["invitation_token"]);
        Assert.Equal("sealed+state/=", query["state"]);
        Assert.Equal("challenge_abc", query["code_challenge"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal("sign-up", query["screen_hint"]);
        Assert.Equal("org_acme", query["organization_id"]);
        Assert.Equal("alice@example.com", query["login_hint"]);
        Assert.Equal("example.com", query["domain_hint"]);
        Assert.Equal("login", query["prompt"]);
        Assert.Equal("300", query["max_age"]);

        var minimal = client.GetAuthorizationUrl(new AuthorizationUrlRequest { RedirectUri = "https://a.test/cb", State = "s", CodeChallenge = "c" });
        var keys = HttpUtility.ParseQueryString(minimal.Query).AllKeys;
        Assert.Equal(new string?[] { "client_id", "code_challenge", "code_challenge_method", "provider", "redirect_uri", "response_type", "state" }, keys);
    }

    [Fact]
    public void Base_url_comes_from_host_scheme_and_port_options()
    {
        var client = CreateClient(o =>
        {
            o.ApiHostname = "127.0.0.1";
            o.ApiHttps = false;
            o.ApiPort = 5123;
        });

        Assert.Equal(new Uri("http://127.0.0.1:5123/sso/jwks/client_test_123"), client.GetJwksUrl());
    }

    [Fact]
    public void Logout_url_names_the_session_and_the_return_address()
    {
        var client = CreateClient();

        var url = client.GetLogoutUrl("session_123", "https://app.example.test/signed-out?x=1");

        Assert.Equal("/user_management/sessions/logout", url.AbsolutePath);
        var query = HttpUtility.ParseQueryString(url.Query);
        Assert.Equal("session_123", query["session_id"]);
        Assert.Equal("https://app.example.test/signed-out?x=1", query["return_to"]);
        Assert.DoesNotContain("return_to", client.GetLogoutUrl("session_123").Query);
    }

    [Fact]
    public async Task Code_exchange_sends_the_api_key_as_bearer_and_client_secret_and_maps_the_user()
    {
        _workos.AddUser("user_bob", "bob@example.com", "Bob", "Builder", u =>
        {
            u["locale"] = "en-GB";
            u["email_domain"] = "example.com";
            u.Remove("metadata");
        });
        var code = _workos.IssueCode("user_bob", Pkce("verifier-verifier-verifier-verifier-verifier"));
        var client = CreateClient();

        var response = await client.AuthenticateWithCodeAsync(code, "verifier-verifier-verifier-verifier-verifier");

        var request = Assert.Single(_workos.Requests);
        Assert.Equal($"Bearer {FakeWorkOS.ApiKey}", request.Authorization);
        Assert.Equal("authorization_code", request.GrantType);
        Assert.Equal(FakeWorkOS.ApiKey, request.Body!["client_secret"]!.GetValue<string>());
        Assert.Equal(FakeWorkOS.ClientId, request.Body!["client_id"]!.GetValue<string>());
        Assert.Equal(code, request.Body!["code"]!.GetValue<string>());
        Assert.Equal("verifier-verifier-verifier-verifier-verifier", request.Body!["code_verifier"]!.GetValue<string>());
        Assert.False(request.Body!.ContainsKey("organization_id"));

        var user = response.User;
        Assert.Equal("user", user.Object);
        Assert.Equal("user_bob", user.Id);
        Assert.Equal("bob@example.com", user.Email);
        Assert.True(user.EmailVerified);
        Assert.Equal("Bob", user.FirstName);
        Assert.Equal("Builder", user.LastName);
        Assert.Null(user.Name);
        Assert.Null(user.ExternalId);
        Assert.Equal("en-GB", user.Locale);
        Assert.Equal("2025-01-01T00:00:00.000Z", user.CreatedAt);
        Assert.Equal(JsonValueKind.Object, user.Metadata!.Value.ValueKind);
        Assert.Empty(user.Metadata.Value.EnumerateObject());
        Assert.Equal("example.com", user.ExtensionData!["emailDomain"].GetString());
        Assert.StartsWith("rt_", response.RefreshToken);
        Assert.Equal("Password", response.AuthenticationMethod);
        Assert.Null(response.Impersonator);
    }

    [Fact]
    public async Task Impersonator_and_organization_are_read_from_the_response()
    {
        var code = _workos.IssueCode("user_alice", Pkce("v"), "org_acme",
            new System.Text.Json.Nodes.JsonObject { ["email"] = "support@example.com", ["reason"] = "Ticket 42" });
        var client = CreateClient();

        var response = await client.AuthenticateWithCodeAsync(code, "v");

        Assert.Equal("org_acme", response.OrganizationId);
        Assert.Equal("support@example.com", response.Impersonator!.Email);
        Assert.Equal("Ticket 42", response.Impersonator.Reason);
    }

    [Fact]
    public async Task Refresh_sends_the_organization_only_when_given()
    {
        var (_, refresh1, _) = _workos.CreateSession();
        var client = CreateClient();

        var first = await client.AuthenticateWithRefreshTokenAsync(refresh1);
        await client.AuthenticateWithRefreshTokenAsync(first.RefreshToken, "org_globex");

        var requests = _workos.Requests.ToArray();
        Assert.Equal("refresh_token", requests[0].GrantType);
        Assert.Equal(refresh1, requests[0].Body!["refresh_token"]!.GetValue<string>());
        Assert.False(requests[0].Body!.ContainsKey("organization_id"));
        Assert.Equal("org_globex", requests[1].Body!["organization_id"]!.GetValue<string>());
        Assert.Equal(FakeWorkOS.ApiKey, requests[1].Body!["client_secret"]!.GetValue<string>());
    }

    [Fact]
    public async Task Organization_selection_uses_the_pending_token_grant()
    {
        _workos.EnqueueResponse(HttpStatusCode.OK, AuthenticateJson());
        var client = CreateClient();

        var response = await client.AuthenticateWithOrganizationSelectionAsync("pending_tok", "org_acme");

        var request = Assert.Single(_workos.Requests);
        Assert.Equal("urn:workos:oauth:grant-type:organization-selection", request.GrantType);
        Assert.Equal("pending_tok", request.Body!["pending_authentication_token"]!.GetValue<string>());
        Assert.Equal("org_acme", request.Body!["organization_id"]!.GetValue<string>());
        Assert.Equal("user_x", response.User.Id);
    }

    [Fact]
    public async Task Email_verification_and_totp_use_their_grants()
    {
        _workos.EnqueueResponse(HttpStatusCode.OK, AuthenticateJson());
        _workos.EnqueueResponse(HttpStatusCode.OK, AuthenticateJson());
        var client = CreateClient();

        await client.AuthenticateWithEmailVerificationAsync("pending_e", "123456");
        await client.AuthenticateWithTotpAsync("pending_t", "auth_challenge_1", "654321");

        var requests = _workos.Requests.ToArray();
        Assert.Equal("urn:workos:oauth:grant-type:email-verification:code", requests[0].GrantType);
        Assert.Equal("pending_e", requests[0].Body!["pending_authentication_token"]!.GetValue<string>());
        Assert.Equal("123456", requests[0].Body!["code"]!.GetValue<string>());
        Assert.Equal("urn:workos:oauth:grant-type:mfa-totp", requests[1].GrantType);
        Assert.Equal("auth_challenge_1", requests[1].Body!["authentication_challenge_id"]!.GetValue<string>());
        Assert.Equal("654321", requests[1].Body!["code"]!.GetValue<string>());
        Assert.Equal(FakeWorkOS.ApiKey, requests[1].Body!["client_secret"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_factor_challenge_returns_the_challenge_id()
    {
        _workos.EnqueueResponse(HttpStatusCode.Created, """{"object":"authentication_challenge","id":"auth_challenge_9","authentication_factor_id":"auth_factor_1"}""");
        var client = CreateClient();

        var id = await client.ChallengeAuthenticationFactorAsync("auth_factor_1");

        var request = Assert.Single(_workos.Requests);
        Assert.Equal("/auth/factors/auth_factor_1/challenge", request.Uri.AbsolutePath);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("auth_challenge_9", id);
    }

    [Fact]
    public async Task A_wrong_email_code_carries_workos_error_code()
    {
        _workos.EnqueueResponse(HttpStatusCode.BadRequest, """{"message":"Invalid code","code":"invalid_code"}""");
        var client = CreateClient();

        var error = await Assert.ThrowsAsync<WorkOSApiException>(() => client.AuthenticateWithEmailVerificationAsync("p", "000000"));

        Assert.Equal("invalid_code", error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
    }

    [Fact]
    public async Task Continuation_answers_become_typed_pending_steps()
    {
        _workos.EnqueueResponse(HttpStatusCode.Forbidden, """
            {"code":"email_verification_required","message":"Verify.","pending_authentication_token":"pt_e",
             "email_verification_id":"email_verification_1","email":"dana@example.com",
             "user":{"object":"user","id":"user_dana","email":"dana@example.com"}}
            """);
        _workos.EnqueueResponse(HttpStatusCode.Forbidden, """
            {"code":"mfa_challenge","message":"MFA.","pending_authentication_token":"pt_m",
             "authentication_factors":[{"object":"authentication_factor","id":"auth_factor_1","type":"totp"}],
             "user":{"object":"user","id":"user_t","email":"t@example.com"}}
            """);
        _workos.EnqueueResponse(HttpStatusCode.Forbidden, """
            {"error":"organization_selection_required","error_description":"Pick.","pending_authentication_token":"pt_o",
             "organizations":[{"id":"org_a","name":"A"},{"id":"org_b","name":"B"}]}
            """);
        var client = CreateClient();

        var email = (await Assert.ThrowsAsync<WorkOSAuthenticationRequiredException>(() => client.AuthenticateWithCodeAsync("c", "v"))).Pending!;
        var mfa = (await Assert.ThrowsAsync<WorkOSAuthenticationRequiredException>(() => client.AuthenticateWithCodeAsync("c", "v"))).Pending!;
        var org = (await Assert.ThrowsAsync<WorkOSAuthenticationRequiredException>(() => client.AuthenticateWithCodeAsync("c", "v"))).Pending!;

        Assert.Equal(PendingAuthenticationKind.EmailVerification, email.Kind);
        Assert.Equal("pt_e", email.Token);
        Assert.Equal("email_verification_1", email.EmailVerificationId);
        Assert.Equal("dana@example.com", email.Email);
        Assert.Equal("user_dana", email.User!.Id);
        Assert.Equal(PendingAuthenticationKind.MfaChallenge, mfa.Kind);
        Assert.Equal("auth_factor_1", Assert.Single(mfa.AuthenticationFactors).Id);
        Assert.Null(mfa.AuthenticationChallengeId);
        Assert.Equal(PendingAuthenticationKind.OrganizationSelection, org.Kind); // the "error" spelling is read too
        Assert.Equal(["org_a", "org_b"], org.Organizations.Select(o => o.Id));
        Assert.Equal("Pick.", org.Message);
    }

    [Fact]
    public async Task Invalid_grant_becomes_an_oauth_exception_without_secrets_in_the_message()
    {
        var client = CreateClient();

        var error = await Assert.ThrowsAsync<WorkOSOAuthException>(() => client.AuthenticateWithRefreshTokenAsync("rt_dead_secret_value"));

        Assert.Equal("invalid_grant", error.Error);
        Assert.True(error.IsInvalidGrant);
        Assert.False(error.IsTransient);
        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Equal("Refresh token is invalid or has been used.", error.ErrorDescription);
        Assert.Equal("req_fake_1", error.RequestId);
        AssertNoSecrets(error, "rt_dead_secret_value");
    }

    [Fact]
    public async Task Invalid_request_carries_its_description()
    {
        _workos.EnqueueResponse(HttpStatusCode.BadRequest, """{"error":"invalid_request","error_description":"code is required"}""");
        var client = CreateClient();

        var error = await Assert.ThrowsAsync<WorkOSOAuthException>(() => client.AuthenticateWithCodeAsync("code_secret", "verifier_secret"));

        Assert.Equal("invalid_request", error.Error);
        Assert.False(error.IsInvalidGrant);
        Assert.Contains("code is required", error.Message);
        AssertNoSecrets(error, "code_secret", "verifier_secret");
    }

    [Fact]
    public async Task Organization_selection_required_carries_the_pending_token_and_organizations()
    {
        _workos.EnqueueResponse(HttpStatusCode.Forbidden, """
            {"code":"organization_selection_required","message":"The user must choose an organization.",
             "pending_authentication_token":"pending_secret_tok",
             "organizations":[{"id":"org_acme","name":"Acme Corp"},{"id":"org_globex","name":"Globex"}],
             "user":{"object":"user","id":"user_alice","email":"alice@example.com"}}
            """);
        var client = CreateClient();

        var error = await Assert.ThrowsAsync<WorkOSAuthenticationRequiredException>(() => client.AuthenticateWithCodeAsync("c", "v"));

        Assert.Equal("organization_selection_required", error.Code);
        Assert.Equal("pending_secret_tok", error.PendingAuthenticationToken);
        Assert.Equal(["org_acme", "org_globex"], error.Organizations.Select(o => o.Id));
        Assert.Equal("Globex", error.Organizations[1].Name);
        Assert.Equal(HttpStatusCode.Forbidden, error.Status);
        AssertNoSecrets(error, "pending_secret_tok");
    }

    [Theory]
    [InlineData("email_verification_required")]
    [InlineData("mfa_enrollment")]
    [InlineData("mfa_challenge")]
    [InlineData("sso_required")]
    public async Task Other_authentication_steps_become_authentication_required_errors(string code)
    {
        _workos.EnqueueResponse(HttpStatusCode.Forbidden, $$"""{"code":"{{code}}","message":"Another step is needed.","pending_authentication_token":"pending_x"}""");
        var client = CreateClient();

        var error = await Assert.ThrowsAsync<WorkOSAuthenticationRequiredException>(() => client.AuthenticateWithCodeAsync("c", "v"));

        Assert.Equal(code, error.Code);
        Assert.Equal("pending_x", error.PendingAuthenticationToken);
        Assert.Empty(error.Organizations);
    }

    [Fact]
    public async Task A_bad_api_key_becomes_an_unauthorized_exception()
    {
        var client = CreateClient(o => o.ApiKey = "sk_wrong_key_value");

        var error = await Assert.ThrowsAsync<WorkOSUnauthorizedException>(() => client.AuthenticateWithRefreshTokenAsync("rt"));

        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
        AssertNoSecrets(error, "sk_wrong_key_value");
    }

    [Fact]
    public async Task Rate_limit_reads_retry_after_seconds()
    {
        _workos.EnqueueResponse(HttpStatusCode.TooManyRequests, """{"message":"Too Many Requests","code":"rate_limit_exceeded"}""",
            r => r.Headers.Add("Retry-After", "7"));
        var client = CreateClient();

        var error = await Assert.ThrowsAsync<WorkOSRateLimitException>(() => client.AuthenticateWithRefreshTokenAsync("rt"));

        Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task Rate_limit_reads_retry_after_as_an_http_date_against_the_injected_clock()
    {
        var at = _workos.Time.GetUtcNow().AddSeconds(4);
        _workos.EnqueueResponse(HttpStatusCode.TooManyRequests, "{}", r => r.Headers.Add("Retry-After", at.ToString("R")));
        var client = CreateClient();

        var error = await Assert.ThrowsAsync<WorkOSRateLimitException>(() => client.AuthenticateWithRefreshTokenAsync("rt"));

        Assert.Equal(TimeSpan.FromSeconds(4), error.RetryAfter);
    }

    [Fact]
    public async Task Rate_limit_without_retry_after_has_no_delay()
    {
        _workos.EnqueueResponse(HttpStatusCode.TooManyRequests, """{"message":"Too Many Requests","code":"rate_limit_exceeded"}""");
        var client = CreateClient();

        var error = await Assert.ThrowsAsync<WorkOSRateLimitException>(() => client.AuthenticateWithRefreshTokenAsync("rt"));

        Assert.Null(error.RetryAfter);
    }

    [Fact]
    public async Task Other_statuses_carry_status_request_id_and_message_and_are_not_retried()
    {
        _workos.EnqueueResponse(HttpStatusCode.InternalServerError, """{"message":"Something broke","code":"server_error"}""");
        var client = CreateClient();

        var error = await Assert.ThrowsAsync<WorkOSApiException>(() => client.AuthenticateWithRefreshTokenAsync("rt_secret"));

        Assert.Equal(typeof(WorkOSApiException), error.GetType());
        Assert.Equal(HttpStatusCode.InternalServerError, error.Status);
        Assert.Equal("req_fake_1", error.RequestId);
        Assert.Contains("500", error.Message);
        Assert.Contains("Something broke", error.Message);
        Assert.Contains("req_fake_1", error.Message);
        Assert.True(error.IsTransient);
        Assert.Single(_workos.Requests);
        AssertNoSecrets(error, "rt_secret");
    }

    [Fact]
    public async Task A_non_json_error_page_still_gives_a_typed_error()
    {
        _workos.Enqueue(_ => new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html>bad gateway</html>") });
        var client = CreateClient();

        var error = await Assert.ThrowsAsync<WorkOSApiException>(() => client.GetOrganizationAsync("org_acme"));

        Assert.Equal(HttpStatusCode.BadGateway, error.Status);
        Assert.Null(error.RequestId);
    }

    [Fact]
    public async Task A_malformed_success_body_is_an_api_error_not_a_crash()
    {
        _workos.EnqueueResponse(HttpStatusCode.OK, """{"user":{"id":"user_1"},"access_token":""}""");
        var client = CreateClient();

        var error = await Assert.ThrowsAsync<WorkOSApiException>(() => client.AuthenticateWithRefreshTokenAsync("rt"));

        Assert.Equal(HttpStatusCode.OK, error.Status);
    }

    [Fact]
    public async Task A_timeout_becomes_an_api_exception_without_status()
    {
        _workos.Enqueue(_ => throw new TaskCanceledException("timeout", new TimeoutException()));
        var client = CreateClient();

        var error = await Assert.ThrowsAsync<WorkOSApiException>(() => client.AuthenticateWithRefreshTokenAsync("rt_secret"));

        Assert.Null(error.Status);
        Assert.True(error.IsTransient);
        AssertNoSecrets(error, "rt_secret");
    }

    [Fact]
    public async Task A_network_failure_becomes_an_api_exception_without_status()
    {
        _workos.Enqueue(_ => throw new HttpRequestException(HttpRequestError.ConnectionError, "connection refused"));
        var client = CreateClient();

        var error = await Assert.ThrowsAsync<WorkOSApiException>(() => client.RevokeSessionAsync("session_1"));

        Assert.Null(error.Status);
        Assert.Contains("ConnectionError", error.Message);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_turned_into_an_api_error()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var client = CreateClient();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.AuthenticateWithRefreshTokenAsync("rt", null, cts.Token));
    }

    [Fact]
    public async Task Revoke_posts_the_session_id_with_the_api_key()
    {
        var client = CreateClient();

        await client.RevokeSessionAsync("session_9");

        var request = Assert.Single(_workos.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/user_management/sessions/revoke", request.Path);
        Assert.Equal($"Bearer {FakeWorkOS.ApiKey}", request.Authorization);
        Assert.Equal("session_9", request.Body!["session_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Revoking_an_unknown_session_reports_404()
    {
        _workos.EnqueueResponse(HttpStatusCode.NotFound, """{"message":"Session not found","code":"entity_not_found"}""");
        var client = CreateClient();

        var error = await Assert.ThrowsAsync<WorkOSApiException>(() => client.RevokeSessionAsync("session_unknown"));

        Assert.Equal(HttpStatusCode.NotFound, error.Status);
        Assert.False(error.IsTransient);
        Assert.Contains("entity_not_found", error.Message);
    }

    [Fact]
    public async Task Memberships_and_organizations_are_listed()
    {
        var client = CreateClient();

        var memberships = await client.ListOrganizationMembershipsAsync("user_alice");
        var org = await client.GetOrganizationAsync("org_acme");

        Assert.Equal(["org_acme", "org_globex"], memberships.Select(m => m.OrganizationId));
        Assert.Equal("Acme Corp", memberships[0].OrganizationName);
        Assert.Equal("admin", memberships[0].Role);
        Assert.Equal("active", memberships[0].Status);
        Assert.Equal("user_alice", memberships[0].UserId);
        var listRequest = _workos.Requests.First();
        Assert.Equal("active", HttpUtility.ParseQueryString(listRequest.Uri.Query)["statuses"]);
        Assert.Equal(new Organization { Id = "org_acme", Name = "Acme Corp" }, org);
    }

    [Fact]
    public void Missing_client_id_is_a_clear_configuration_error()
    {
        var client = CreateClient(o => o.ClientId = null);

        var error = Assert.Throws<InvalidOperationException>(() => client.GetJwksUrl());

        Assert.Contains("WORKOS_CLIENT_ID", error.Message);
    }

    private static string AuthenticateJson() => """
        {"user":{"object":"user","id":"user_x","email":"x@example.com","email_verified":false,"first_name":null,"last_name":null,
         "profile_picture_url":null,"last_sign_in_at":null,"external_id":null,"metadata":{},"created_at":"c","updated_at":"u"},
         "organization_id":"org_acme","access_token":"header.payload.sig","refresh_token":"rt_new"}
        """;

    internal static string Pkce(string verifier) =>
        System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)));

    private static void AssertNoSecrets(Exception error, params string[] secrets)
    {
        var text = error.ToString();
        foreach (var secret in secrets.Append(FakeWorkOS.ApiKey))
        {
            Assert.DoesNotContain(secret, text);
        }
    }
}
