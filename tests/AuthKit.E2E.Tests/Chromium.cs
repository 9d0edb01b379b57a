namespace AuthKit.E2E.Tests;

/// <summary>Debian's Chromium, headless, as every browser test of the repository launches it (also tests/AuthKit.NewApp.Tests).</summary>
public static class Chromium
{
    /// <summary>Where Debian's <c>chromium</c> package installs the browser (test.sh installs it when missing).</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>The launch switches: no sandbox (root in containers), no GPU, nothing in the background.</summary>
    public static IReadOnlyList<string> DefaultArgs { get; } =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    /// <summary>Throws a clear error when the browser is not installed.</summary>
    public static void EnsureInstalled()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: install Debian's chromium (apt-get install chromium); test.sh does this.");
        }
    }

    /// <summary>Launches headless Chromium with <see cref="DefaultArgs"/> plus <paramref name="extraArgs"/>.</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright, params string[] extraArgs)
    {
        EnsureInstalled();
        return playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = [.. DefaultArgs, .. extraArgs],
        });
    }
}
