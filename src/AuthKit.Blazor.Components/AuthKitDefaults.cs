namespace AuthKit.Blazor;

/// <summary>Default names used by AuthKit.Blazor.</summary>
public static class AuthKitDefaults
{
    /// <summary>The authentication scheme name: <c>AuthKit</c>.</summary>
    public const string AuthenticationScheme = "AuthKit";

    /// <summary>The configuration section bound by <c>AddAuthKit()</c>: <c>AuthKit</c>.</summary>
    public const string ConfigurationSection = "AuthKit";

    /// <summary>The request header the circuit's session fetch sends: <c>X-AuthKit-Session</c>.</summary>
    public const string SessionRequestHeader = "X-AuthKit-Session";

    /// <summary>The WorkOS access-token bearer scheme (<c>AddAuthKitBearer()</c>): <c>AuthKitBearer</c>.</summary>
    public const string BearerScheme = "AuthKitBearer";

    /// <summary>The WorkOS API-key scheme (<c>AddAuthKitApiKey()</c>): <c>AuthKitApiKey</c>.</summary>
    public const string ApiKeyScheme = "AuthKitApiKey";

    /// <summary>
    /// The anti-CSRF header that the API proxy (<c>MapAuthKitApiProxy</c>) and the token endpoint require:
    /// <c>X-AuthKit-CSRF</c>. A custom header: a cross-site page cannot send it without a CORS preflight, which the
    /// server does not grant.
    /// </summary>
    public const string CsrfHeaderName = "X-AuthKit-CSRF";

    /// <summary>The value the WebAssembly client sends in <see cref="CsrfHeaderName"/>: <c>1</c>.</summary>
    public const string CsrfHeaderValue = "1";
}
