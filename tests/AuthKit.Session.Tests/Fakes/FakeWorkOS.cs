using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Web;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Session.Tests.Fakes;

/// <summary>An RSA signing key published in the fake JWKS.</summary>
public sealed class FakeSigningKey(string kid, RSA? rsa = null) : IDisposable
{
    private static readonly ConcurrentDictionary<int, RSA> Pool = new();
    private readonly bool _owned = rsa is null;

    public string Kid { get; } = kid;
    public RSA Rsa { get; } = rsa ?? RSA.Create(2048);

    /// <summary>A key from a process-wide pool (RSA generation is slow; tests share keys by index).</summary>
    public static FakeSigningKey Pooled(string kid, int index) => new(kid, Pool.GetOrAdd(index, _ => RSA.Create(2048)));

    public JsonObject ToJwk()
    {
        var p = Rsa.ExportParameters(false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["n"] = Base64Url(p.Modulus!),
            ["e"] = Base64Url(p.Exponent!),
            ["kid"] = Kid,
            ["alg"] = "RS256",
            ["use"] = "sig",
        };
    }

    public void Dispose()
    {
        if (_owned)
        {
            Rsa.Dispose();
        }
    }

    internal static string Base64Url(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}

/// <summary>A request the fake received.</summary>
public sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? Authorization, JsonObject? Body)
{
    public string Path => Uri.AbsolutePath;
    public string? GrantType => Body?["grant_type"]?.GetValue<string>();
}

/// <summary>
/// A small in-memory WorkOS: JWKS with keys generated here, RS256 tokens, single-use codes and rotating single-use
/// refresh tokens, organization memberships, plus hooks to script errors, delays and outages.
/// </summary>
public sealed class FakeWorkOS : HttpMessageHandler
{
    public const string ClientId = "client_test_123";
    public const string ApiKey = "sk_test_secret_api_key_value";
    public const string Host = "api.workos.test";
    public const string Issuer = "https://api.workos.test";

    private readonly ConcurrentDictionary<string, CodeGrant> _codes = new();
    private readonly ConcurrentDictionary<string, SessionState> _refreshTokens = new();
    private readonly ConcurrentDictionary<string, JsonObject> _users = new();
    private readonly ConcurrentDictionary<string, HashSet<string>> _memberships = new();
    private readonly ConcurrentQueue<Func<RecordedRequest, HttpResponseMessage?>> _scripted = new();
    private readonly List<FakeSigningKey> _publishedKeys = [];
    private int _counter;
    private int _rotations;

    public FakeWorkOS(FakeTimeProvider? time = null)
    {
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero));
        CurrentKey = FakeSigningKey.Pooled("key_1", 0);
        _publishedKeys.Add(CurrentKey);
        AddUser("user_alice", "alice@example.com", "Alice", "Admin");
        AddMembership("user_alice", "org_acme");
        AddMembership("user_alice", "org_globex");
    }

    public FakeTimeProvider Time { get; }
    public FakeSigningKey CurrentKey { get; private set; }
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();
    public bool JwksAvailable { get; set; } = true;

    /// <summary>When set, /authenticate waits for this before answering (to hold concurrent callers in flight).</summary>
    public TaskCompletionSource? AuthenticateGate { get; set; }

    /// <summary>When set, JWKS requests wait for this before answering.</summary>
    public TaskCompletionSource? JwksGate { get; set; }

    /// <summary>Signalled when a JWKS request arrives.</summary>
    public SemaphoreSlim JwksArrived { get; } = new(0);

    /// <summary>Signalled when an /authenticate request arrives.</summary>
    public SemaphoreSlim AuthenticateArrived { get; } = new(0);

    public int JwksRequests => Requests.Count(r => r.Path.StartsWith("/sso/jwks/", StringComparison.Ordinal));
    public int RefreshRequests => Requests.Count(r => r.GrantType == "refresh_token");
    public int CodeRequests => Requests.Count(r => r.GrantType == "authorization_code");

    public FakeSigningKey[] PublishedKeys
    {
        get { lock (_publishedKeys) { return [.. _publishedKeys]; } }
    }

    /// <summary>Creates a new signing key used for new tokens; the old one stays published unless told otherwise.</summary>
    public FakeSigningKey RotateKey(bool keepOldKeyPublished = true)
    {
        var index = Interlocked.Increment(ref _rotations);
        var key = FakeSigningKey.Pooled($"key_{index + 1}", index);
        lock (_publishedKeys)
        {
            if (!keepOldKeyPublished)
            {
                _publishedKeys.Clear();
            }

            _publishedKeys.Add(key);
        }

        CurrentKey = key;
        return key;
    }

    public void AddUser(string id, string email, string firstName, string lastName, Action<JsonObject>? customize = null)
    {
        var user = new JsonObject
        {
            ["object"] = "user",
            ["id"] = id,
            ["email"] = email,
            ["email_verified"] = true,
            ["first_name"] = firstName,
            ["last_name"] = lastName,
            ["profile_picture_url"] = null,
            ["last_sign_in_at"] = "2026-01-01T00:00:00.000Z",
            ["external_id"] = null,
            ["metadata"] = new JsonObject(),
            ["created_at"] = "2025-01-01T00:00:00.000Z",
            ["updated_at"] = "2025-06-01T00:00:00.000Z",
        };
        customize?.Invoke(user);
        _users[id] = user;
    }

    public void AddMembership(string userId, string organizationId) =>
        _memberships.GetOrAdd(userId, _ => []).Add(organizationId);

    /// <summary>Issues a code for <paramref name="userId"/> bound to a PKCE challenge (as the hosted sign-in page would).</summary>
    public string IssueCode(string userId, string codeChallenge, string? organizationId = null, JsonObject? impersonator = null)
    {
        var code = $"code_{Interlocked.Increment(ref _counter)}";
        _codes[code] = new CodeGrant(userId, codeChallenge, organizationId, impersonator);
        return code;
    }

    /// <summary>Creates a live session directly and returns (access token, refresh token).</summary>
    public (string AccessToken, string RefreshToken, string SessionId) CreateSession(string userId = "user_alice", string? organizationId = null, TimeSpan? accessTokenLifetime = null)
    {
        var sessionId = $"session_{Interlocked.Increment(ref _counter)}";
        var state = new SessionState(userId, sessionId, organizationId, null);
        var refresh = NewRefreshToken();
        _refreshTokens[refresh] = state;
        return (MintAccessToken(userId, sessionId, organizationId, accessTokenLifetime), refresh, sessionId);
    }

    public void RevokeAllRefreshTokens() => _refreshTokens.Clear();

    /// <summary>Queues a one-shot interceptor: return a response to answer the request with it, or null to pass.</summary>
    public void Enqueue(Func<RecordedRequest, HttpResponseMessage?> handler) => _scripted.Enqueue(handler);

    /// <summary>Queues one scripted JSON answer for the next request.</summary>
    public void EnqueueResponse(HttpStatusCode status, string json, Action<HttpResponseMessage>? customize = null) =>
        Enqueue(_ =>
        {
            var response = Json(status, json);
            customize?.Invoke(response);
            return response;
        });

    public string MintAccessToken(string userId, string sessionId, string? organizationId = null, TimeSpan? lifetime = null,
        Action<JsonObject>? customizeClaims = null, FakeSigningKey? key = null)
    {
        var now = Time.GetUtcNow().ToUnixTimeSeconds();
        var payload = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = userId,
            ["sid"] = sessionId,
            ["jti"] = $"jti_{Interlocked.Increment(ref _counter)}",
            ["client_id"] = ClientId,
            ["auth_time"] = now,
            ["iat"] = now,
            ["exp"] = now + (long)(lifetime ?? AccessTokenLifetime).TotalSeconds,
        };
        if (organizationId is not null)
        {
            payload["org_id"] = organizationId;
            payload["role"] = "admin";
            payload["roles"] = new JsonArray("admin");
            payload["permissions"] = new JsonArray("posts:write", "admin:read");
            payload["entitlements"] = new JsonArray("audit-logs");
            payload["feature_flags"] = new JsonArray("beta-ui");
        }

        customizeClaims?.Invoke(payload);
        return SignRs256(payload, key ?? CurrentKey);
    }

    public static string SignRs256(JsonObject payload, FakeSigningKey key, string? kidOverride = null)
    {
        var header = new JsonObject { ["alg"] = "RS256", ["kid"] = kidOverride ?? key.Kid, ["typ"] = "JWT" };
        var signingInput = Encode(header) + "." + Encode(payload);
        var signature = key.Rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + FakeSigningKey.Base64Url(signature);
    }

    /// <summary>An unsigned (<c>alg: none</c>) token with the given payload.</summary>
    public static string Unsigned(JsonObject payload, string? kid = null)
    {
        var header = new JsonObject { ["alg"] = "none", ["typ"] = "JWT" };
        if (kid is not null)
        {
            header["kid"] = kid;
        }

        return Encode(header) + "." + Encode(payload) + ".";
    }

    /// <summary>An HS256 token signed with <paramref name="secret"/> (used for the RSA-public-key-as-HMAC-secret attack).</summary>
    public static string SignHs256(JsonObject payload, byte[] secret, string? kid = null)
    {
        var header = new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT" };
        if (kid is not null)
        {
            header["kid"] = kid;
        }

        var signingInput = Encode(header) + "." + Encode(payload);
        var signature = HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + FakeSigningKey.Base64Url(signature);
    }

    public static string Encode(JsonNode node) => FakeSigningKey.Base64Url(Encoding.UTF8.GetBytes(node.ToJsonString()));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        JsonObject? body = null;
        if (request.Content is not null)
        {
            var text = await request.Content.ReadAsStringAsync(cancellationToken);
            body = text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null;
        }

        var recorded = new RecordedRequest(request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(), body);
        Requests.Enqueue(recorded);

        var isAuthenticate = recorded.Path == "/user_management/authenticate";
        if (isAuthenticate)
        {
            AuthenticateArrived.Release();
            if (AuthenticateGate is { } gate)
            {
                await gate.Task.WaitAsync(cancellationToken);
            }
        }

        while (_scripted.TryDequeue(out var scripted))
        {
            if (scripted(recorded) is { } response)
            {
                return response;
            }
        }

        if (recorded.Path.StartsWith("/sso/jwks/", StringComparison.Ordinal))
        {
            JwksArrived.Release();
            if (JwksGate is { } jwksGate)
            {
                await jwksGate.Task.WaitAsync(cancellationToken);
            }

            if (!JwksAvailable)
            {
                return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            }

            var keys = new JsonArray([.. PublishedKeys.Select(k => (JsonNode)k.ToJwk())]);
            return Json(HttpStatusCode.OK, new JsonObject { ["keys"] = keys }.ToJsonString());
        }

        if (recorded.Authorization != $"Bearer {ApiKey}")
        {
            return Json(HttpStatusCode.Unauthorized, """{"message":"Unauthorized","code":"unauthorized"}""");
        }

        return recorded.Path switch
        {
            "/user_management/authenticate" => Authenticate(body!),
            "/user_management/sessions/revoke" => Json(HttpStatusCode.OK, """{"success":true}"""),
            "/user_management/organization_memberships" => Memberships(recorded.Uri),
            _ when recorded.Path.StartsWith("/organizations/", StringComparison.Ordinal) =>
                Json(HttpStatusCode.OK, new JsonObject { ["object"] = "organization", ["id"] = recorded.Path["/organizations/".Length..], ["name"] = "Acme Corp" }.ToJsonString()),
            _ => Json(HttpStatusCode.NotFound, """{"message":"Not found"}"""),
        };
    }

    private HttpResponseMessage Authenticate(JsonObject body)
    {
        if (body["client_id"]?.GetValue<string>() != ClientId || body["client_secret"]?.GetValue<string>() != ApiKey)
        {
            return Json(HttpStatusCode.Unauthorized, """{"message":"Unauthorized","code":"unauthorized"}""");
        }

        var grant = body["grant_type"]?.GetValue<string>();
        switch (grant)
        {
            case "authorization_code":
            {
                var code = body["code"]?.GetValue<string>() ?? "";
                if (!_codes.TryRemove(code, out var codeGrant))
                {
                    return InvalidGrant("The code is invalid or has already been used.");
                }

                var verifier = body["code_verifier"]?.GetValue<string>() ?? "";
                var challenge = FakeSigningKey.Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
                if (challenge != codeGrant.CodeChallenge)
                {
                    return InvalidGrant("The code verifier does not match the challenge.");
                }

                var sessionId = $"session_{Interlocked.Increment(ref _counter)}";
                return Issue(new SessionState(codeGrant.UserId, sessionId, codeGrant.OrganizationId, codeGrant.Impersonator));
            }
            case "urn:workos:oauth:grant-type:organization-selection":
            {
                // A pending token names its user: "pending_<userId>".
                var pending = body["pending_authentication_token"]?.GetValue<string>() ?? "";
                if (!pending.StartsWith("pending_", StringComparison.Ordinal))
                {
                    return Json(HttpStatusCode.BadRequest, """{"message":"Invalid pending authentication token","code":"invalid_pending_authentication_token"}""");
                }

                return Issue(new SessionState(pending["pending_".Length..], $"session_{Interlocked.Increment(ref _counter)}", body["organization_id"]?.GetValue<string>(), null));
            }
            case "refresh_token":
            {
                var token = body["refresh_token"]?.GetValue<string>() ?? "";
                if (!_refreshTokens.TryRemove(token, out var state))
                {
                    return InvalidGrant("Refresh token is invalid or has been used.");
                }

                var org = body["organization_id"]?.GetValue<string>() ?? state.OrganizationId;
                if (org is not null && (!_memberships.TryGetValue(state.UserId, out var orgs) || !orgs.Contains(org)))
                {
                    return Json(HttpStatusCode.BadRequest, """{"error":"invalid_request","error_description":"User is not a member of the organization."}""");
                }

                return Issue(state with { OrganizationId = org });
            }
            default:
                return Json(HttpStatusCode.BadRequest, """{"error":"invalid_request","error_description":"Unsupported grant type."}""");
        }
    }

    private HttpResponseMessage Issue(SessionState state)
    {
        var refresh = NewRefreshToken();
        _refreshTokens[refresh] = state;
        var response = new JsonObject
        {
            ["user"] = _users[state.UserId].DeepClone(),
            ["organization_id"] = state.OrganizationId,
            ["access_token"] = MintAccessToken(state.UserId, state.SessionId, state.OrganizationId,
                customizeClaims: state.Impersonator is { } imp ? c => c["act"] = new JsonObject { ["sub"] = imp["email"]!.GetValue<string>() } : null),
            ["refresh_token"] = refresh,
            ["authentication_method"] = "Password",
        };
        if (state.Impersonator is not null)
        {
            response["impersonator"] = state.Impersonator.DeepClone();
        }

        return Json(HttpStatusCode.OK, response.ToJsonString());
    }

    private HttpResponseMessage Memberships(Uri uri)
    {
        var userId = HttpUtility.ParseQueryString(uri.Query)["user_id"] ?? "";
        var data = new JsonArray();
        foreach (var org in _memberships.TryGetValue(userId, out var orgs) ? orgs.Order() : Enumerable.Empty<string>())
        {
            data.Add(new JsonObject
            {
                ["object"] = "organization_membership",
                ["id"] = $"om_{org}",
                ["user_id"] = userId,
                ["organization_id"] = org,
                ["organization_name"] = org == "org_acme" ? "Acme Corp" : "Globex",
                ["role"] = new JsonObject { ["slug"] = "admin" },
                ["status"] = "active",
            });
        }

        return Json(HttpStatusCode.OK, new JsonObject { ["object"] = "list", ["data"] = data, ["list_metadata"] = new JsonObject() }.ToJsonString());
    }

    private string NewRefreshToken() => $"rt_{Interlocked.Increment(ref _counter)}_{Convert.ToHexString(RandomNumberGenerator.GetBytes(8))}";

    private static HttpResponseMessage InvalidGrant(string description) =>
        Json(HttpStatusCode.BadRequest, new JsonObject { ["error"] = "invalid_grant", ["error_description"] = description }.ToJsonString());

    public static HttpResponseMessage Json(HttpStatusCode status, string json)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        response.Headers.Add("X-Request-ID", "req_fake_1");
        return response;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var key in PublishedKeys)
            {
                key.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private sealed record CodeGrant(string UserId, string CodeChallenge, string? OrganizationId, JsonObject? Impersonator);

    private sealed record SessionState(string UserId, string SessionId, string? OrganizationId, JsonObject? Impersonator);
}

/// <summary>An <see cref="IHttpClientFactory"/> whose clients all go through one handler.</summary>
public sealed class FakeHttpClientFactory(HttpMessageHandler handler) : IHttpClientFactory
{
    public int Created { get; private set; }

    public HttpClient CreateClient(string name)
    {
        Created++;
        return new HttpClient(handler, disposeHandler: false);
    }
}
