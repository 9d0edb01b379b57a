using AuthKit.Session;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor;

/// <summary>
/// Derives the values of <see cref="AuthKitAuthenticationOptions"/> left unset (as <c>PostConfigureCookieAuthenticationOptions</c>
/// does): <see cref="AuthKitAuthenticationOptions.CallbackPath"/> from the redirect URI. Explicit values always win.
/// </summary>
internal sealed class AuthKitAuthenticationPostConfigureOptions(IOptions<AuthKitOptions> authKitOptions) : IPostConfigureOptions<AuthKitAuthenticationOptions>
{
    /// <summary>The callback path when the redirect URI has none.</summary>
    internal const string DefaultCallbackPath = "/auth/callback";

    public void PostConfigure(string? name, AuthKitAuthenticationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // An empty value (an empty configuration key) counts as unset.
        if (options.CallbackPath is "")
        {
            options.CallbackPath = null;
        }

        options.CallbackPath ??= CallbackPathOf(ReadRedirectUri());
    }

    internal static string CallbackPathOf(string? redirectUri) =>
        Uri.TryCreate(redirectUri, UriKind.Absolute, out var redirect) && redirect.AbsolutePath.Length > 1
            ? redirect.AbsolutePath
            : DefaultCallbackPath;

    private string? ReadRedirectUri()
    {
        try
        {
            return authKitOptions.Value.RedirectUri;
        }
        catch (OptionsValidationException)
        {
            // Invalid WorkOS settings are reported (once, with every problem) by their own start-up validation.
            return null;
        }
    }
}
