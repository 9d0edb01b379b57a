using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AuthKit.Session.Tests.Fakes;
using Microsoft.Extensions.Options;

namespace AuthKit.Session.Tests.Tokens;

public sealed class JwksAccessTokenVerifierTests : IDisposable
{
    private readonly FakeWorkOS _workos = new();

    public void Dispose() => _workos.Dispose();

    private JwksAccessTokenVerifier CreateVerifier(Action<AuthKitOptions>? configure = null, Action<AuthKitCoreOptions>? core = null)
    {
        var coreOptions = new AuthKitCoreOptions();
        core?.Invoke(coreOptions);
        return new JwksAccessTokenVerifier(TestOptions.Wrap(TestOptions.Create(configure)), Microsoft.Extensions.Options.Options.Create(coreOptions),
            new FakeHttpClientFactory(_workos), _workos.Time);
    }

    private JsonObject Payload(long? exp = null) => new()
    {
        ["sub"] = "user_alice",
        ["sid"] = "session_1",
        ["iat"] = _workos.Time.GetUtcNow().ToUnixTimeSeconds(),
        ["exp"] = exp ?? _workos.Time.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds(),
    };

    [Fact]
    public async Task A_valid_token_yields_typed_claims()
    {
        var verifier = CreateVerifier();
        var token = _workos.MintAccessToken("user_alice", "session_1", "org_acme", customizeClaims: c =>
        {
            c["act"] = new JsonObject { ["sub"] = "support@example.com" };
            c["tenant_tier"] = "gold";
        });

        var result = await verifier.ValidateAsync(token);

        Assert.True(result.IsValid);
        Assert.Equal(AccessTokenFailure.None, result.Failure);
        var claims = result.Claims;
        Assert.Equal("user_alice", claims.Subject);
        Assert.Equal("session_1", claims.SessionId);
        Assert.Equal("org_acme", claims.OrganizationId);
        Assert.Equal("admin", claims.Role);
        Assert.Equal(["admin"], claims.Roles);
        Assert.Equal(["posts:write", "admin:read"], claims.Permissions);
        Assert.Equal(["audit-logs"], claims.Entitlements);
        Assert.Equal(["beta-ui"], claims.FeatureFlags);
        Assert.Equal("support@example.com", claims.ActorSubject);
        Assert.Equal(_workos.Time.GetUtcNow().AddMinutes(5), claims.ExpiresAt);
        Assert.True(claims.TryGetClaim("tenant_tier", out var tier));
        Assert.Equal("gold", tier.GetString());
    }

    [Fact]
    public async Task Expiry_is_checked_against_the_injected_clock_without_skew()
    {
        var verifier = CreateVerifier();
        var token = _workos.MintAccessToken("user_alice", "session_1", lifetime: TimeSpan.FromSeconds(60));

        _workos.Time.Advance(TimeSpan.FromSeconds(59));
        var before = await verifier.ValidateAsync(token);
        _workos.Time.Advance(TimeSpan.FromSeconds(1));
        var atExpiry = await verifier.ValidateAsync(token);

        Assert.True(before.IsValid);
        Assert.Equal(AccessTokenFailure.Expired, atExpiry.Failure);
        Assert.Null(atExpiry.Claims);
    }

    [Fact]
    public async Task Configured_clock_skew_extends_the_lifetime()
    {
        var verifier = CreateVerifier(core: o => o.ClockSkew = TimeSpan.FromSeconds(30));
        var token = _workos.MintAccessToken("user_alice", "session_1", lifetime: TimeSpan.FromSeconds(60));

        _workos.Time.Advance(TimeSpan.FromSeconds(80));

        Assert.True((await verifier.ValidateAsync(token)).IsValid);
    }

    [Fact]
    public async Task A_token_without_exp_is_rejected()
    {
        var verifier = CreateVerifier();
        var payload = Payload();
        payload.Remove("exp");

        var result = await verifier.ValidateAsync(FakeWorkOS.SignRs256(payload, _workos.CurrentKey));

        Assert.Equal(AccessTokenFailure.Expired, result.Failure);
    }

    [Theory]
    [InlineData(1e300)]
    [InlineData(253402300800d)]
    public async Task A_signed_token_with_an_absurd_exp_is_rejected_not_thrown(double exp)
    {
        var verifier = CreateVerifier();
        var payload = Payload();
        payload["exp"] = exp;

        var result = await verifier.ValidateAsync(FakeWorkOS.SignRs256(payload, _workos.CurrentKey));

        Assert.False(result.IsValid);
        Assert.Contains(result.Failure, new[] { AccessTokenFailure.Malformed, AccessTokenFailure.Expired });
    }

    [Fact]
    public async Task A_token_not_valid_yet_is_rejected()
    {
        var verifier = CreateVerifier();
        var payload = Payload();
        payload["nbf"] = _workos.Time.GetUtcNow().AddMinutes(1).ToUnixTimeSeconds();

        var result = await verifier.ValidateAsync(FakeWorkOS.SignRs256(payload, _workos.CurrentKey));

        Assert.Equal(AccessTokenFailure.NotYetValid, result.Failure);
    }

    [Fact]
    public async Task Unsigned_tokens_are_rejected_without_fetching_keys()
    {
        var verifier = CreateVerifier();

        var result = await verifier.ValidateAsync(FakeWorkOS.Unsigned(Payload(), _workos.CurrentKey.Kid));

        Assert.Equal(AccessTokenFailure.UnsupportedAlgorithm, result.Failure);
        Assert.Equal(0, _workos.JwksRequests);
    }

    public static TheoryData<string> PublicKeyEncodings => ["spki-der", "spki-pem", "pkcs1-der", "modulus", "jwk-json"];

    [Theory]
    [MemberData(nameof(PublicKeyEncodings))]
    public async Task Hmac_tokens_signed_with_the_rsa_public_key_are_rejected(string encoding)
    {
        var verifier = CreateVerifier();
        Assert.True((await verifier.ValidateAsync(_workos.MintAccessToken("user_alice", "session_1"))).IsValid); // keys are loaded
        var rsa = _workos.CurrentKey.Rsa;
        byte[] secret = encoding switch
        {
            "spki-der" => rsa.ExportSubjectPublicKeyInfo(),
            "spki-pem" => Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem()),
            "pkcs1-der" => rsa.ExportRSAPublicKey(),
            "modulus" => rsa.ExportParameters(false).Modulus!,
            _ => Encoding.UTF8.GetBytes(_workos.CurrentKey.ToJwk().ToJsonString()),
        };

        var forged = FakeWorkOS.SignHs256(Payload(), secret, _workos.CurrentKey.Kid);
        var result = await verifier.ValidateAsync(forged);

        Assert.False(result.IsValid);
        Assert.Equal(AccessTokenFailure.UnsupportedAlgorithm, result.Failure);
    }

    [Theory]
    [InlineData("RS384")]
    [InlineData("PS256")]
    [InlineData("ES256")]
    [InlineData("RS256 ")]
    [InlineData("rs256")]
    public async Task Algorithms_other_than_rs256_are_rejected(string alg)
    {
        var verifier = CreateVerifier();
        var header = new JsonObject { ["alg"] = alg, ["kid"] = _workos.CurrentKey.Kid, ["typ"] = "JWT" };
        var input = FakeWorkOS.Encode(header) + "." + FakeWorkOS.Encode(Payload());
        var signature = _workos.CurrentKey.Rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1);
        var token = input + "." + System.Buffers.Text.Base64Url.EncodeToString(signature);

        var result = await verifier.ValidateAsync(token);

        Assert.Equal(AccessTokenFailure.UnsupportedAlgorithm, result.Failure);
    }

    [Fact]
    public async Task A_tampered_payload_fails_the_signature_check()
    {
        var verifier = CreateVerifier();
        var token = _workos.MintAccessToken("user_alice", "session_1", "org_acme");
        var parts = token.Split('.');
        var payload = JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        payload["org_id"] = "org_evil";
        var tampered = parts[0] + "." + FakeWorkOS.Encode(payload) + "." + parts[2];

        var result = await verifier.ValidateAsync(tampered);

        Assert.Equal(AccessTokenFailure.InvalidSignature, result.Failure);
    }

    [Fact]
    public async Task A_token_signed_by_an_unpublished_key_with_a_known_kid_is_rejected()
    {
        var verifier = CreateVerifier();
        using var attackerKey = new FakeSigningKey(_workos.CurrentKey.Kid);

        var result = await verifier.ValidateAsync(FakeWorkOS.SignRs256(Payload(), attackerKey));

        Assert.Equal(AccessTokenFailure.InvalidSignature, result.Failure);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-jwt")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d.e.f")]
    [InlineData("!!!.@@@.###")]
    public async Task Malformed_tokens_are_rejected_without_throwing(string token)
    {
        var verifier = CreateVerifier();

        var result = await verifier.ValidateAsync(token);

        Assert.False(result.IsValid);
        Assert.Equal(AccessTokenFailure.Malformed, result.Failure);
        Assert.Equal(0, _workos.JwksRequests);
    }

    [Fact]
    public async Task An_oversized_token_is_rejected_as_malformed()
    {
        var verifier = CreateVerifier();

        var result = await verifier.ValidateAsync(new string('a', 20_000) + ".b.c");

        Assert.Equal(AccessTokenFailure.Malformed, result.Failure);
    }

    [Fact]
    public async Task A_token_without_kid_is_rejected()
    {
        var verifier = CreateVerifier();
        var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT" };
        var input = FakeWorkOS.Encode(header) + "." + FakeWorkOS.Encode(Payload());
        var signature = _workos.CurrentKey.Rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        var result = await verifier.ValidateAsync(input + "." + System.Buffers.Text.Base64Url.EncodeToString(signature));

        Assert.Equal(AccessTokenFailure.UnknownKey, result.Failure);
    }

    [Fact]
    public async Task Keys_are_fetched_once_and_cached()
    {
        var verifier = CreateVerifier();

        for (var i = 0; i < 20; i++)
        {
            Assert.True((await verifier.ValidateAsync(_workos.MintAccessToken("user_alice", $"session_{i}"))).IsValid);
        }

        Assert.Equal(1, _workos.JwksRequests);
    }

    [Fact]
    public async Task A_rotated_signing_key_is_picked_up_by_refetching_on_its_unknown_kid()
    {
        var verifier = CreateVerifier();
        Assert.True((await verifier.ValidateAsync(_workos.MintAccessToken("user_alice", "s"))).IsValid);
        _workos.Time.Advance(TimeSpan.FromSeconds(31));

        _workos.RotateKey();
        var result = await verifier.ValidateAsync(_workos.MintAccessToken("user_alice", "s"));

        Assert.True(result.IsValid);
        Assert.Equal(2, _workos.JwksRequests);
    }

    [Fact]
    public async Task A_flood_of_unknown_kids_causes_at_most_one_refetch_per_throttle_window()
    {
        var verifier = CreateVerifier(core: o => o.JwksRefetchThrottle = TimeSpan.FromMinutes(5));
        Assert.True((await verifier.ValidateAsync(_workos.MintAccessToken("user_alice", "s"))).IsValid);
        Assert.Equal(1, _workos.JwksRequests);
        _workos.Time.Advance(TimeSpan.FromMinutes(5));

        for (var i = 0; i < 100; i++)
        {
            var forged = FakeWorkOS.SignRs256(Payload(), _workos.CurrentKey, kidOverride: $"forged_{i}");
            Assert.Equal(AccessTokenFailure.UnknownKey, (await verifier.ValidateAsync(forged)).Failure);
        }

        Assert.Equal(2, _workos.JwksRequests);

        _workos.Time.Advance(TimeSpan.FromMinutes(4));
        await verifier.ValidateAsync(FakeWorkOS.SignRs256(Payload(), _workos.CurrentKey, kidOverride: "forged_again"));
        Assert.Equal(2, _workos.JwksRequests);

        _workos.Time.Advance(TimeSpan.FromMinutes(1));
        await verifier.ValidateAsync(FakeWorkOS.SignRs256(Payload(), _workos.CurrentKey, kidOverride: "forged_later"));
        Assert.Equal(3, _workos.JwksRequests);
    }

    [Fact]
    public async Task Concurrent_requests_with_an_unknown_kid_share_one_fetch()
    {
        var verifier = CreateVerifier();
        _workos.JwksGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tokens = Enumerable.Range(0, 50).Select(i => _workos.MintAccessToken("user_alice", $"s{i}")).ToArray();

        var pending = tokens.Select(t => verifier.ValidateAsync(t).AsTask()).ToArray();
        Assert.True(await _workos.JwksArrived.WaitAsync(TimeSpan.FromSeconds(10)));
        _workos.JwksGate.SetResult();
        var results = await Task.WhenAll(pending);

        Assert.All(results, r => Assert.True(r.IsValid));
        Assert.Equal(1, _workos.JwksRequests);
    }

    [Fact]
    public async Task Cached_keys_keep_working_when_the_jwks_endpoint_is_down()
    {
        var verifier = CreateVerifier();
        Assert.True((await verifier.ValidateAsync(_workos.MintAccessToken("user_alice", "s"))).IsValid);
        _workos.JwksAvailable = false;
        _workos.Time.Advance(TimeSpan.FromMinutes(30)); // past JwksMaxAge: a background refresh is attempted and fails

        var first = await verifier.ValidateAsync(_workos.MintAccessToken("user_alice", "s"));
        await verifier.WhenFetchIdleAsync();
        var second = await verifier.ValidateAsync(_workos.MintAccessToken("user_alice", "s"));

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(2, _workos.JwksRequests);
    }

    [Fact]
    public async Task Without_cached_keys_an_unreachable_jwks_is_reported_as_keys_unavailable()
    {
        var verifier = CreateVerifier();
        _workos.JwksAvailable = false;

        var result = await verifier.ValidateAsync(_workos.MintAccessToken("user_alice", "s"));

        Assert.Equal(AccessTokenFailure.KeysUnavailable, result.Failure);
    }

    [Fact]
    public async Task A_key_removed_from_the_jwks_stops_verifying_after_the_background_refresh()
    {
        var verifier = CreateVerifier();
        var oldToken = _workos.MintAccessToken("user_alice", "s", lifetime: TimeSpan.FromHours(2));
        Assert.True((await verifier.ValidateAsync(oldToken)).IsValid);
        _workos.RotateKey(keepOldKeyPublished: false);
        _workos.Time.Advance(TimeSpan.FromMinutes(11));

        await verifier.ValidateAsync(oldToken); // stale keys: triggers the background refresh
        await verifier.WhenFetchIdleAsync();
        var afterRefresh = await verifier.ValidateAsync(oldToken);

        Assert.Equal(AccessTokenFailure.UnknownKey, afterRefresh.Failure);
        Assert.True((await verifier.ValidateAsync(_workos.MintAccessToken("user_alice", "s"))).IsValid);
    }

    [Fact]
    public async Task Issuer_and_audience_are_checked_only_when_configured()
    {
        var token = _workos.MintAccessToken("user_alice", "s", customizeClaims: c => c["aud"] = "client_test_123");

        Assert.True((await CreateVerifier().ValidateAsync(token)).IsValid);
        Assert.True((await CreateVerifier(o => { o.TokenIssuer = FakeWorkOS.Issuer; o.TokenAudience = "client_test_123"; }).ValidateAsync(token)).IsValid);
        Assert.Equal(AccessTokenFailure.InvalidIssuer, (await CreateVerifier(o => o.TokenIssuer = "https://evil.test").ValidateAsync(token)).Failure);
        Assert.Equal(AccessTokenFailure.InvalidAudience, (await CreateVerifier(o => o.TokenAudience = "someone-else").ValidateAsync(token)).Failure);
    }
}
