using System.Globalization;

namespace AuthKit.Session;

/// <summary>The <c>WORKOS_*</c> environment variables AuthKit reads (same names as the npm package).</summary>
internal static class AuthKitEnvironment
{
    /// <summary><see cref="AuthKitOptions.ClientId"/>.</summary>
    public const string ClientId = "WORKOS_CLIENT_ID";
    /// <summary><see cref="AuthKitOptions.ApiKey"/>.</summary>
    public const string ApiKey = "WORKOS_API_KEY";
    /// <summary><see cref="AuthKitOptions.RedirectUri"/>.</summary>
    public const string RedirectUri = "WORKOS_REDIRECT_URI";
    /// <summary><see cref="AuthKitOptions.CookiePassword"/>.</summary>
    public const string CookiePassword = "WORKOS_COOKIE_PASSWORD";
    /// <summary><see cref="AuthKitOptions.CookieName"/>.</summary>
    public const string CookieName = "WORKOS_COOKIE_NAME";
    /// <summary><see cref="AuthKitOptions.CookieMaxAge"/>, in whole seconds.</summary>
    public const string CookieMaxAge = "WORKOS_COOKIE_MAX_AGE";
    /// <summary><see cref="AuthKitOptions.CookieDomain"/>.</summary>
    public const string CookieDomain = "WORKOS_COOKIE_DOMAIN";
    /// <summary><see cref="AuthKitOptions.CookieSameSite"/>.</summary>
    public const string CookieSameSite = "WORKOS_COOKIE_SAME_SITE";
    /// <summary><see cref="AuthKitOptions.ApiHostname"/>.</summary>
    public const string ApiHostname = "WORKOS_API_HOSTNAME";
    /// <summary><see cref="AuthKitOptions.ApiHttps"/> (<c>true</c> or <c>false</c>).</summary>
    public const string ApiHttps = "WORKOS_API_HTTPS";
    /// <summary><see cref="AuthKitOptions.ApiPort"/>.</summary>
    public const string ApiPort = "WORKOS_API_PORT";

    /// <summary>Every variable with the option it sets, in documentation order.</summary>
    public static IReadOnlyList<(string Variable, string Option)> All { get; } =
    [
        (ClientId, nameof(AuthKitOptions.ClientId)),
        (ApiKey, nameof(AuthKitOptions.ApiKey)),
        (RedirectUri, nameof(AuthKitOptions.RedirectUri)),
        (CookiePassword, nameof(AuthKitOptions.CookiePassword)),
        (CookieName, nameof(AuthKitOptions.CookieName)),
        (CookieMaxAge, nameof(AuthKitOptions.CookieMaxAge)),
        (CookieDomain, nameof(AuthKitOptions.CookieDomain)),
        (CookieSameSite, nameof(AuthKitOptions.CookieSameSite)),
        (ApiHostname, nameof(AuthKitOptions.ApiHostname)),
        (ApiHttps, nameof(AuthKitOptions.ApiHttps)),
        (ApiPort, nameof(AuthKitOptions.ApiPort)),
    ];

    /// <summary>The environment variable of an option name, or null.</summary>
    public static string? VariableFor(string optionName)
    {
        foreach ((string variable, string option) in All)
        {
            if (option == optionName) return variable;
        }
        return null;
    }

    internal static void Apply(AuthKitOptions options, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        options.EnvironmentErrors.Clear();

        string? Read(string name)
        {
            string? value = getEnvironmentVariable(name);
            return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        }

        if (Read(ClientId) is { } clientId) options.ClientId = clientId;
        if (Read(ApiKey) is { } apiKey) options.ApiKey = apiKey;
        if (Read(RedirectUri) is { } redirectUri) options.RedirectUri = redirectUri;
        // The password is taken verbatim (spaces are significant).
        if (getEnvironmentVariable(CookiePassword) is { Length: > 0 } password) options.CookiePassword = password;
        if (Read(CookieName) is { } cookieName) options.CookieName = cookieName;
        if (Read(CookieDomain) is { } cookieDomain) options.CookieDomain = cookieDomain;
        if (Read(CookieSameSite) is { } sameSite) options.CookieSameSite = sameSite;
        if (Read(ApiHostname) is { } hostname) options.ApiHostname = hostname;

        if (Read(CookieMaxAge) is { } maxAge)
        {
            if (long.TryParse(maxAge, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) && seconds <= (long)TimeSpan.MaxValue.TotalSeconds)
                options.CookieMaxAge = TimeSpan.FromSeconds(seconds);
            else
                options.EnvironmentErrors.Add($"{CookieMaxAge}='{Shorten(maxAge)}' is not a whole number of seconds. Set it to, for example, 34560000 (400 days) or remove it.");
        }
        if (Read(ApiHttps) is { } https)
        {
            if (bool.TryParse(https, out bool value)) options.ApiHttps = value;
            else options.EnvironmentErrors.Add($"{ApiHttps}='{Shorten(https)}' is not a boolean. Set it to true or false.");
        }
        if (Read(ApiPort) is { } port)
        {
            if (int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value is >= 1 and <= 65535) options.ApiPort = value;
            else options.EnvironmentErrors.Add($"{ApiPort}='{Shorten(port)}' is not a port number. Set it to a number from 1 to 65535 or remove it.");
        }
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "...";
}
