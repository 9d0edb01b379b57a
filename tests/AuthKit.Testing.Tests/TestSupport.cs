using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthKit.Testing.Tests;

/// <summary>Shared helpers: PKCE pairs, authorize URLs, a raw HTTP client, JWT verification against the JWKS.</summary>
internal static class TestSupport
{
    public const string RedirectUri = "http://127.0.0.1:5999/callback";

    public static (string Verifier, string Challenge) NewPkce()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A client that neither follows redirects nor keeps cookies, with the API key preset.</summary>
    public static HttpClient Client(WorkOSEmulator emulator, bool withApiKey = true)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = emulator.BaseUri };
        if (withApiKey)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", emulator.ApiKey);
        }

        return client;
    }

    public static string AuthorizeUrl(WorkOSEmulator emulator, string challenge, string? state = "state-123", IDictionary<string, string?>? extra = null, string redirectUri = RedirectUri)
    {
        var query = new Dictionary<string, string?>
        {
            ["client_id"] = emulator.ClientId,
            ["redirect_uri"] = redirectUri,
            ["response_type"] = "code",
            ["provider"] = "authkit",
            ["state"] = state,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            query[k] = v;
        }

        return QueryHelpers.AddQueryString(new Uri(emulator.BaseUri, "user_management/authorize").ToString(), query.Where(kv => kv.Value is not null)!);
    }

    /// <summary>Query values of a redirect's Location header.</summary>
    public static Dictionary<string, string> RedirectQuery(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        return QueryHelpers.ParseQuery(location.Query).ToDictionary(kv => kv.Key, kv => kv.Value.ToString());
    }

    /// <summary>Auto-mode sign-in: authorize (no page) and return the code and verifier.</summary>
    public static async Task<(string Code, string Verifier)> AuthorizeAsync(WorkOSEmulator emulator, HttpClient client, IDictionary<string, string?>? extra = null)
    {
        var (verifier, challenge) = NewPkce();
        using var response = await client.GetAsync(AuthorizeUrl(emulator, challenge, extra: extra));
        var query = RedirectQuery(response);
        Assert.True(query.ContainsKey("code"), "Expected a code, got: " + response.Headers.Location);
        return (query["code"], verifier);
    }

    public static Task<HttpResponseMessage> AuthenticateAsync(HttpClient client, WorkOSEmulator emulator, object body) =>
        client.PostAsJsonAsync("user_management/authenticate", body);

    public static Task<HttpResponseMessage> ExchangeCodeAsync(HttpClient client, WorkOSEmulator emulator, string code, string verifier) =>
        AuthenticateAsync(client, emulator, new { grant_type = "authorization_code", client_id = emulator.ClientId, client_secret = emulator.ApiKey, code, code_verifier = verifier });

    public static Task<HttpResponseMessage> RefreshAsync(HttpClient client, WorkOSEmulator emulator, string refreshToken, string? organizationId = null) =>
        AuthenticateAsync(client, emulator, new { grant_type = "refresh_token", client_id = emulator.ClientId, client_secret = emulator.ApiKey, refresh_token = refreshToken, organization_id = organizationId });

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Signs a user in through auto mode + the code grant and returns the 200 body.</summary>
    public static async Task<JsonElement> SignInAsync(WorkOSEmulator emulator, HttpClient client, IDictionary<string, string?>? extra = null)
    {
        var (code, verifier) = await AuthorizeAsync(emulator, client, extra);
        using var response = await ExchangeCodeAsync(client, emulator, code, verifier);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JsonAsync(response);
    }

    public static JsonElement Claims(string jwt) =>
        JsonDocument.Parse(Base64UrlEncoder.Decode(jwt.Split('.')[1])).RootElement.Clone();

    public static JsonElement Header(string jwt) =>
        JsonDocument.Parse(Base64UrlEncoder.Decode(jwt.Split('.')[0])).RootElement.Clone();

    /// <summary>Validates a token against the emulator's published JWKS (RS256 pinned; lifetime checked on <paramref name="now"/>).</summary>
    public static async Task<TokenValidationResult> ValidateAsync(HttpClient client, WorkOSEmulator emulator, string jwt, DateTimeOffset now)
    {
        var jwks = new JsonWebKeySet(await client.GetStringAsync($"sso/jwks/{emulator.ClientId}"));
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.Zero,
            TryAllIssuerSigningKeys = false,
            LifetimeValidator = (notBefore, expires, _, _) => expires is { } exp && now.UtcDateTime < exp,
        };
        return await new JsonWebTokenHandler().ValidateTokenAsync(jwt, parameters);
    }

    public static string[] Strings(JsonElement element) => [.. element.EnumerateArray().Select(e => e.GetString()!)];
}
