using System.Text;
using Microsoft.Extensions.Options;

namespace AuthKit.Session;

/// <summary>
/// Validates <see cref="AuthKitOptions"/> and reports every problem in one message, naming the option, its configuration
/// key (<c>AuthKit:&lt;Option&gt;</c>) and its environment variable, and saying how to fix it. Register with
/// <c>ValidateOnStart</c> so a misconfigured app fails at start-up.
/// </summary>
internal sealed class AuthKitOptionsValidator : IValidateOptions<AuthKitOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AuthKitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> problems = GetProblems(options);
        if (problems.Count == 0) return ValidateOptionsResult.Success;

        var message = new StringBuilder();
        message.Append("AuthKit configuration is invalid (").Append(problems.Count).Append(problems.Count == 1 ? " problem" : " problems").Append("):");
        foreach (string problem in problems) message.Append("\n  - ").Append(problem);
        message.Append("\nSet the values in configuration (section \"").Append(AuthKitOptions.SectionName)
            .Append("\") or as environment variables (they take precedence). Client id, API key and redirect URI are on the WorkOS dashboard: https://dashboard.workos.com");
        return ValidateOptionsResult.Fail(message.ToString());
    }

    /// <summary>Every problem, one sentence each.</summary>
    internal static List<string> GetProblems(AuthKitOptions o)
    {
        var problems = new List<string>();

        if (string.IsNullOrWhiteSpace(o.ClientId))
            problems.Add($"{Name(nameof(o.ClientId))} is required. Set it to your WorkOS client id (client_...).");
        if (string.IsNullOrWhiteSpace(o.ApiKey))
            problems.Add($"{Name(nameof(o.ApiKey))} is required. Set it to your WorkOS API key (sk_...).");

        bool redirectIsHttps = false;
        if (string.IsNullOrWhiteSpace(o.RedirectUri))
        {
            problems.Add($"{Name(nameof(o.RedirectUri))} is required. Set it to the absolute callback URL registered at WorkOS, e.g. https://app.example.com/callback.");
        }
        else if (!RedirectUriScheme.TryGetScheme(o.RedirectUri, out string? scheme) || scheme is not ("http" or "https") || !Uri.TryCreate(o.RedirectUri.Trim(), UriKind.Absolute, out Uri? redirect) || string.IsNullOrEmpty(redirect.Host))
        {
            problems.Add($"{Name(nameof(o.RedirectUri))} must be an absolute http(s) URL such as https://app.example.com/callback.");
        }
        else
        {
            redirectIsHttps = scheme == "https";
        }

        if (string.IsNullOrEmpty(o.CookiePassword))
            problems.Add($"{Name(nameof(o.CookiePassword))} is required. Set it to a random secret of at least {IronSeal.MinimumPasswordLength} characters (e.g. `openssl rand -base64 32`).");
        else if (o.CookiePassword.Length < IronSeal.MinimumPasswordLength)
            problems.Add($"{Name(nameof(o.CookiePassword))} must be at least {IronSeal.MinimumPasswordLength} characters (currently {o.CookiePassword.Length}). Use a longer random secret.");

        if (string.IsNullOrWhiteSpace(o.CookieName) || !IsCookieToken(o.CookieName))
            problems.Add($"{Name(nameof(o.CookieName))} must be a cookie name (letters, digits and !#$%&'*+-.^_`|~). Default: {AuthKitOptions.DefaultCookieName}.");

        if (o.CookieMaxAge < TimeSpan.Zero)
            problems.Add($"{Name(nameof(o.CookieMaxAge))} cannot be negative. Default: 400 days ({(long)AuthKitOptions.DefaultCookieMaxAge.TotalSeconds} seconds).");

        if (!string.IsNullOrEmpty(o.CookieDomain) && (o.CookieDomain.Contains("://", StringComparison.Ordinal) || o.CookieDomain.AsSpan().IndexOfAny(" ;,/\t") >= 0))
            problems.Add($"{Name(nameof(o.CookieDomain))} must be a bare domain such as example.com (no scheme, path or separators), or empty for a host-only cookie.");

        string? sameSite = o.CookieSameSite?.Trim().ToLowerInvariant();
        if (sameSite is not ("lax" or "strict" or "none"))
            problems.Add($"{Name(nameof(o.CookieSameSite))} must be lax, strict or none (got '{Shorten(o.CookieSameSite)}'). Default: lax.");
        else if (sameSite == "none" && !string.IsNullOrWhiteSpace(o.RedirectUri) && !redirectIsHttps)
            problems.Add($"{Name(nameof(o.CookieSameSite))} is none, which browsers only accept on Secure cookies over https; use an https {nameof(o.RedirectUri)} or SameSite lax.");

        if (string.IsNullOrWhiteSpace(o.ApiHostname) || o.ApiHostname.Contains("://", StringComparison.Ordinal) || o.ApiHostname.AsSpan().IndexOfAny(" /?#") >= 0)
            problems.Add($"{Name(nameof(o.ApiHostname))} must be a host name such as api.workos.com (no scheme or path). Default: api.workos.com.");

        if (o.ApiPort is { } port && (port < 1 || port > 65535))
            problems.Add($"{Name(nameof(o.ApiPort))} must be from 1 to 65535 (got {port}), or unset for the scheme's default.");

        problems.AddRange(o.EnvironmentErrors);
        return problems;
    }

    private static string Name(string option) =>
        $"{option} ({AuthKitOptions.SectionName}:{option}, environment variable {AuthKitEnvironment.VariableFor(option)})";

    private static string Shorten(string? value) => value is null ? "" : value.Length <= 20 ? value : value[..20] + "...";

    private static bool IsCookieToken(string name)
    {
        foreach (char c in name)
        {
            if (c <= 0x20 || c >= 0x7F || "()<>@,;:\\\"/[]?={}".Contains(c)) return false;
        }
        return true;
    }
}
