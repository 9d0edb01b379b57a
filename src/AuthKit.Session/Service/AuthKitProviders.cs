namespace AuthKit.Session;

/// <summary>
/// The <c>provider</c> values WorkOS's authorization endpoint takes: <see cref="AuthKit"/> (the hosted AuthKit page) or an
/// OAuth provider, which sends the user straight to it.
/// </summary>
public static class AuthKitProviders
{
    /// <summary>The hosted AuthKit page: <c>authkit</c> (the default).</summary>
    public const string AuthKit = "authkit";

    /// <summary>Sign in with Apple.</summary>
    public const string Apple = "AppleOAuth";

    /// <summary>GitHub.</summary>
    public const string GitHub = "GitHubOAuth";

    /// <summary>Google.</summary>
    public const string Google = "GoogleOAuth";

    /// <summary>Microsoft.</summary>
    public const string Microsoft = "MicrosoftOAuth";

    /// <summary>
    /// Every value accepted: <c>authkit</c>, <c>AppleOAuth</c>, <c>BitbucketOAuth</c>, <c>DiscordOAuth</c>, <c>GitHubOAuth</c>,
    /// <c>GitLabOAuth</c>, <c>GoogleOAuth</c>, <c>IntuitOAuth</c>, <c>LinkedInOAuth</c>, <c>MicrosoftOAuth</c>, <c>SalesforceOAuth</c>,
    /// <c>SlackOAuth</c>, <c>VercelOAuth</c>, <c>XeroOAuth</c> (case-sensitive, as WorkOS compares them).
    /// </summary>
    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        AuthKit, Apple, "BitbucketOAuth", "DiscordOAuth", GitHub, "GitLabOAuth", Google, "IntuitOAuth", "LinkedInOAuth", Microsoft,
        "SalesforceOAuth", "SlackOAuth", "VercelOAuth", "XeroOAuth",
    };
}
