using System.Globalization;
using System.Text.RegularExpressions;

namespace AuthKit.E2E.Tests.SeveralServers;

/// <summary>
/// The standalone emulator (<c>tools/AuthKit.Emulator</c>, the <c>authkit-emulator</c> tool) as a child process on a free
/// port, the way several app servers share one WorkOS stand-in. Its base URL is read from the banner it prints.
/// </summary>
public sealed partial class EmulatorProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);
    private readonly ChildProcess _process;

    private EmulatorProcess(ChildProcess process, Uri baseUri)
    {
        _process = process;
        BaseUri = baseUri;
    }

    /// <summary>The emulator's origin, e.g. <c>http://127.0.0.1:7070/</c>.</summary>
    public Uri BaseUri { get; }

    /// <summary>Everything it printed so far.</summary>
    public string Output => _process.Output;

    /// <summary>Starts <c>authkit-emulator --port 0 --access-token-lifetime <paramref name="accessTokenLifetime"/></c> and waits for its banner.</summary>
    public static async Task<EmulatorProcess> StartAsync(TimeSpan accessTokenLifetime)
    {
        var process = ChildProcess.Start(ChildProcess.Dotnet(ChildProcess.BuiltFile("EmulatorToolPath", "build tests/AuthKit.E2E.Tests (it builds tools/AuthKit.Emulator)"),
            "--port", "0", "--access-token-lifetime", accessTokenLifetime.ToString("c", CultureInfo.InvariantCulture)));
        try
        {
            var listening = await process.WaitForOutputAsync(Listening(), StartupTimeout);
            return new EmulatorProcess(process, new Uri(listening.Groups[1].Value));
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            await process.DisposeAsync();
            throw new InvalidOperationException($"authkit-emulator did not start within {StartupTimeout.TotalSeconds} s: {ex.Message}", ex);
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    [GeneratedRegex(@"listening on (http://\S+/)")]
    private static partial Regex Listening();
}
