using System.Text.Json;
using System.Text.Json.Serialization;

namespace AuthKit.Session;

/// <summary>
/// A WorkOS user as sealed into the session cookie (camelCase, in the npm package's member order).
/// Members this type does not know are kept in <see cref="ExtensionData"/> so a read-modify-write loses nothing.
/// </summary>
public sealed class WorkOSUser
{
    /// <summary>Always <c>user</c>.</summary>
    public string Object { get; set; } = "user";
    /// <summary>User id (<c>user_...</c>).</summary>
    public required string Id { get; set; }
    /// <summary>Email address.</summary>
    public required string Email { get; set; }
    /// <summary>Whether the email address is verified.</summary>
    public bool EmailVerified { get; set; }
    /// <summary>Display name, when set.</summary>
    public string? Name { get; set; }
    /// <summary>First name.</summary>
    public string? FirstName { get; set; }
    /// <summary>Profile picture URL.</summary>
    public string? ProfilePictureUrl { get; set; }
    /// <summary>Last name.</summary>
    public string? LastName { get; set; }
    /// <summary>Last sign-in time, ISO 8601 text as sent by WorkOS.</summary>
    public string? LastSignInAt { get; set; }
    /// <summary>Locale; absent from the JSON when WorkOS sent none.</summary>
    public string? Locale { get; set; }
    /// <summary>Creation time, ISO 8601 text.</summary>
    public string? CreatedAt { get; set; }
    /// <summary>Last update time, ISO 8601 text.</summary>
    public string? UpdatedAt { get; set; }
    /// <summary>External id.</summary>
    public string? ExternalId { get; set; }
    /// <summary>Metadata object (JSON), <c>{}</c> by default.</summary>
    public JsonElement? Metadata { get; set; }
    /// <summary>Members not known to this type, preserved verbatim.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Who is impersonating the user, as WorkOS reports it.</summary>
public sealed class Impersonator
{
    /// <summary>Email of the impersonating admin.</summary>
    public required string Email { get; set; }
    /// <summary>Reason given, or null.</summary>
    public string? Reason { get; set; }
    /// <summary>Members not known to this type, preserved verbatim.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>The session sealed into the cookie: <c>accessToken, refreshToken, user, impersonator?</c>.</summary>
public sealed class Session
{
    /// <summary>The WorkOS access token (JWT).</summary>
    public required string AccessToken { get; set; }
    /// <summary>The single-use WorkOS refresh token.</summary>
    public required string RefreshToken { get; set; }
    /// <summary>The signed-in user.</summary>
    public required WorkOSUser User { get; set; }
    /// <summary>The impersonator, omitted from the JSON when null.</summary>
    public Impersonator? Impersonator { get; set; }
    /// <summary>Members not known to this type, preserved verbatim.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>The PKCE/OAuth state sealed into the <c>state</c> parameter and the verifier cookie.</summary>
public sealed class PkceState
{
    /// <summary>Random nonce.</summary>
    public required string Nonce { get; set; }
    /// <summary>The PKCE code verifier (43 chars, base64url).</summary>
    public required string CodeVerifier { get; set; }
    /// <summary>Where to go after sign-in (sanitized again on the way out).</summary>
    public string? ReturnPathname { get; set; }
    /// <summary>Application state, at most 2048 UTF-8 bytes.</summary>
    public string? CustomState { get; set; }
    /// <summary>The redirect URI used for this flow, when it differs from the configured one.</summary>
    public string? RedirectUri { get; set; }
    /// <summary>Unix milliseconds when the state was sealed (set by <see cref="ISessionEncryption.SealState"/>; required in the payload).</summary>
    [JsonRequired]
    public long IssuedAt { get; set; }
}

/// <summary>The 200 body of <c>POST /user_management/authenticate</c>.</summary>
public sealed class AuthenticationResponse
{
    /// <summary>The user.</summary>
    public required WorkOSUser User { get; init; }
    /// <summary>The organization the session is scoped to, if any.</summary>
    public string? OrganizationId { get; init; }
    /// <summary>New access token.</summary>
    public required string AccessToken { get; init; }
    /// <summary>New refresh token (the presented one is now dead).</summary>
    public required string RefreshToken { get; init; }
    /// <summary>Impersonator, when impersonating.</summary>
    public Impersonator? Impersonator { get; init; }
    /// <summary>How the user authenticated (e.g. <c>Password</c>), when sent.</summary>
    public string? AuthenticationMethod { get; init; }
}
