using System.Globalization;
using AuthKit.Testing;

namespace AuthKit.Emulator;

/// <summary>What <c>authkit-emulator</c> prints once it listens: its base URL and the <c>WORKOS_*</c> settings for an app.</summary>
internal static class StartupBanner
{
    public static IEnumerable<string> Lines(WorkOSEmulator emulator)
    {
        yield return $"AuthKit WorkOS emulator listening on {emulator.BaseUri}";
        yield return $"Control surface: {emulator.BaseUri}_emulator (Authorization: Bearer <api key>)";
        yield return "Point an app at it:";
        yield return Export("WORKOS_CLIENT_ID", emulator.ClientId);
        yield return Export("WORKOS_API_KEY", emulator.ApiKey);
        yield return Export("WORKOS_API_HOSTNAME", emulator.BaseUri.Host);
        yield return Export("WORKOS_API_HTTPS", "false");
        yield return Export("WORKOS_API_PORT", emulator.Port.ToString(CultureInfo.InvariantCulture));
        yield return "# WORKOS_REDIRECT_URI and WORKOS_COOKIE_PASSWORD are the app's own: its callback URL and a secret of 32+ characters.";
        yield return "Press Ctrl+C to stop.";
    }

    /// <summary>An <c>export NAME=value</c> line, the value single-quoted for the shell when it needs quoting.</summary>
    internal static string Export(string name, string value) =>
        $"export {name}={(value.Length > 0 && value.All(IsShellSafe) ? value : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'")}";

    private static bool IsShellSafe(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':' or '/' or '@' or '+' or ',';
}
