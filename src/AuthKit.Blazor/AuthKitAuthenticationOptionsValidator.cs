using Microsoft.Extensions.Options;

namespace AuthKit.Blazor;

/// <summary>
/// Checks the <c>AuthKit</c> scheme's <see cref="AuthKitAuthenticationOptions"/> (after post-configuration) together with
/// the integration's <see cref="AuthKitBlazorOptions"/> at start-up, and reports every problem of both in one message.
/// </summary>
internal sealed class AuthKitAuthenticationOptionsValidator(IOptions<AuthKitBlazorOptions> blazorOptions) : IValidateOptions<AuthKitAuthenticationOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthKitAuthenticationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        ValidateScheme(options, errors);
        if (string.Equals(name, AuthKitDefaults.AuthenticationScheme, StringComparison.Ordinal))
        {
            ValidateIntegration(blazorOptions.Value, errors);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(string.Join(" ", errors));
    }

    private static void ValidateScheme(AuthKitAuthenticationOptions options, List<string> errors)
    {
        void Path(string setting, string? value, bool optional = false)
        {
            if (optional && value is null)
            {
                return;
            }

            if (string.IsNullOrEmpty(value) || value[0] != '/' || value.StartsWith("//", StringComparison.Ordinal) || value.Contains('\\', StringComparison.Ordinal))
            {
                errors.Add($"AuthKit:{setting} must be a local path starting with a single '/' (got '{value}').");
            }
        }

        Path(nameof(options.SignInPath), options.SignInPath);
        Path(nameof(options.SignUpPath), options.SignUpPath);
        Path(nameof(options.SignOutPath), options.SignOutPath);
        Path(nameof(options.SwitchOrganizationPath), options.SwitchOrganizationPath);
        Path(nameof(options.SessionPath), options.SessionPath);
        Path(nameof(options.PendingSignInPath), options.PendingSignInPath);
        foreach (var uri in options.AllowedRedirectUris)
        {
            if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(parsed.Fragment))
            {
                errors.Add($"AuthKit:AllowedRedirectUris must hold absolute http(s) URLs without a fragment (got '{uri}').");
            }
        }
        Path(nameof(options.CallbackPath), options.CallbackPath, optional: true);
        Path(nameof(options.ErrorPath), options.ErrorPath, optional: true);
        Path(nameof(options.SignedOutReturnPath), options.SignedOutReturnPath);
        if (options.EventsType is { } type && !typeof(AuthKitEvents).IsAssignableFrom(type))
        {
            errors.Add($"AuthKit EventsType must derive from AuthKitEvents (got {type.FullName}).");
        }
    }

    private static void ValidateIntegration(AuthKitBlazorOptions options, List<string> errors)
    {
        if (options.RefreshBuffer < TimeSpan.Zero)
        {
            errors.Add("AuthKit:RefreshBuffer must not be negative (default 00:01:00).");
        }

        if (options.RevalidationInterval <= TimeSpan.Zero)
        {
            errors.Add("AuthKit:RevalidationInterval must be positive (default 00:00:30).");
        }

        if (options.RelayLifetime <= TimeSpan.Zero)
        {
            errors.Add("AuthKit:RelayLifetime must be positive (default 7.00:00:00).");
        }

        if (options.MemoryRelaySizeLimit <= 0)
        {
            errors.Add("AuthKit:MemoryRelaySizeLimit must be positive (default 10000).");
        }
    }
}
