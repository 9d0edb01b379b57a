using System.Diagnostics;
using System.Text;

namespace AuthKit.Session.Tests.TestSupport;

/// <summary>
/// Runs tests/interop/oracle.mjs, which drives the real npm package @workos/authkit-session 0.7.1. Fails (never skips)
/// with instructions when Node.js or the npm packages are missing.
/// </summary>
internal static class NodeOracle
{
    private static readonly Lazy<string> Node = new(FindNode);

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        /// <summary>Stdout without its single trailing newline; throws with stderr when the oracle failed.</summary>
        public string Output => ExitCode == 0
            ? Stdout.EndsWith('\n') ? Stdout[..^1] : Stdout
            : throw new InvalidOperationException($"the node oracle failed (exit {ExitCode}): {Stderr}");

        public string Error => ExitCode == 1 ? Stderr.TrimEnd('\n', '\r') : throw new InvalidOperationException($"oracle.mjs was expected to fail with exit 1 but exited {ExitCode}: {Stdout}");
    }

    public static string Seal(string json, string password, int ttlSeconds, long? nowMs = null, string? randomHex = null) =>
        Run(["seal", password, ttlSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)], json, nowMs, randomHex).Output;

    public static Result Unseal(string seal, string password, int ttlSeconds = 0, long? nowMs = null) =>
        Run(["unseal", password, ttlSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)], seal + "\n", nowMs, null);

    public static string CookieName(string state) => Run(["cookiename"], state + "\n", null, null).Output;

    /// <summary>
    /// The npm package's <c>sanitizeReturnPathname(input, fallback)</c> for each case, in one run of tests/interop/sanitize.mjs
    /// (a null fallback means the function's default).
    /// </summary>
    public static IReadOnlyList<string> SanitizeReturnPathnames(IReadOnlyList<(string Input, string? Fallback)> cases)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(cases.Select(c => new[] { c.Input, c.Fallback }).ToArray());
        var output = Run([], json, null, null, script: "sanitize.mjs").Output;
        var results = System.Text.Json.JsonSerializer.Deserialize<string[]>(output) ?? throw new InvalidOperationException("sanitize.mjs printed null.");
        if (results.Length != cases.Count) throw new InvalidOperationException($"sanitize.mjs returned {results.Length} results for {cases.Count} cases.");
        return results;
    }

    public static Result Run(string[] args, string stdin, long? nowMs, string? randomHex, string script = "oracle.mjs")
    {
        string interop = RepositoryPaths.InteropDirectory;
        string oracle = Path.Combine(interop, script);
        if (!File.Exists(oracle)) throw new InvalidOperationException($"{oracle} is missing.");
        if (!Directory.Exists(Path.Combine(interop, "node_modules", "@workos", "authkit-session")))
        {
            throw new InvalidOperationException(
                $"The interop oracle's npm packages are not installed. Run `npm ci` in {interop} (test.sh does this) and run the tests again.");
        }

        var start = new ProcessStartInfo(Node.Value)
        {
            WorkingDirectory = interop,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(oracle);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        start.Environment.Remove("ORACLE_NOW_MS");
        start.Environment.Remove("ORACLE_RANDOM_HEX");
        if (nowMs is not null) start.Environment["ORACLE_NOW_MS"] = nowMs.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (randomHex is not null) start.Environment["ORACLE_RANDOM_HEX"] = randomHex;

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("oracle.mjs did not finish within 60 s.");
        }
        return new Result(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    private static string FindNode()
    {
        string? path = Environment.GetEnvironmentVariable("PATH");
        foreach (string dir in (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (string name in OperatingSystem.IsWindows() ? new[] { "node.exe" } : ["node"])
            {
                string candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        }
        throw new InvalidOperationException(
            "Node.js (>= 20) is not on PATH; the interop tests run the real npm package through tests/interop/oracle.mjs. Install Node.js 20 (test.sh does) and run `npm ci` in tests/interop.");
    }
}
