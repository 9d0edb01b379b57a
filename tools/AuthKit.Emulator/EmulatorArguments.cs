using System.Globalization;

namespace AuthKit.Emulator;

/// <summary>The parsed command line of <c>authkit-emulator</c>, or the one-line reason it is invalid.</summary>
internal sealed class EmulatorArguments
{
    /// <summary>The port used when <c>--port</c> is absent.</summary>
    public const int DefaultPort = 7070;

    public const string Usage = """
        Usage: authkit-emulator [options]

        Runs the AuthKit WorkOS emulator on 127.0.0.1 until Ctrl+C or SIGTERM.

        Options:
          --port N                      Port to listen on (1-65535, or 0 for a free port). Default 7070.
          --access-token-lifetime T     Access token lifetime as a TimeSpan (hh:mm:ss). Default 00:05:00.
          --seed demo|FILE.json         Users, organizations and roles: the demo seed (default) or a seed JSON file
                                        (snake_case users/organizations/roles, see docs/emulator.md).
          --client-id ID                Client id the emulator accepts. Default client_emulator.
          --api-key KEY                 API key the emulator accepts (also guards /_emulator). Default sk_test_emulator.
          --allowed-host HOST           A non-loopback host accepted in redirect_uri, return_to and Host (repeatable).
          -h, --help                    Print this help.

        Demo users: alice@example.com, bob@example.com, charlie@example.com, support@example.com (password: password).
        """;

    public int Port { get; private set; } = DefaultPort;

    public TimeSpan? AccessTokenLifetime { get; private set; }

    /// <summary>A seed file path, or <see langword="null"/> for the demo seed.</summary>
    public string? SeedFile { get; private set; }

    public string? ClientId { get; private set; }

    public string? ApiKey { get; private set; }

    public IList<string> AllowedHosts { get; } = [];

    public bool Help { get; private set; }

    /// <summary>Parses <paramref name="args"/>; <paramref name="error"/> is a one-line message when they are invalid.</summary>
    public static bool TryParse(IReadOnlyList<string> args, out EmulatorArguments result, out string? error)
    {
        result = new EmulatorArguments();
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string name = arg;
            string? value = null;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 2)
            {
                name = arg[..eq];
                value = arg[(eq + 1)..];
            }

            if (name is "-h" or "--help" or "-?")
            {
                result.Help = true;
                continue;
            }

            if (name is not ("--port" or "--access-token-lifetime" or "--seed" or "--client-id" or "--api-key" or "--allowed-host"))
            {
                error = $"Unknown argument '{arg}'.";
                return false;
            }

            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    error = $"{name} needs a value.";
                    return false;
                }

                value = args[++i];
            }

            if (!result.TryApply(name, value, out error))
            {
                return false;
            }
        }

        return true;
    }

    private bool TryApply(string name, string value, out string? error)
    {
        error = null;
        switch (name)
        {
            case "--port":
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
                {
                    error = $"--port must be a number from 0 to 65535 (got '{value}').";
                    return false;
                }

                Port = port;
                return true;
            case "--access-token-lifetime":
                if (!TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var lifetime) || lifetime <= TimeSpan.Zero)
                {
                    error = $"--access-token-lifetime must be a positive TimeSpan such as 00:05:00 (got '{value}').";
                    return false;
                }

                AccessTokenLifetime = lifetime;
                return true;
            case "--seed":
                if (value.Length == 0)
                {
                    error = "--seed must be 'demo' or the path of a seed JSON file.";
                    return false;
                }

                SeedFile = string.Equals(value, "demo", StringComparison.OrdinalIgnoreCase) ? null : value;
                return true;
            case "--client-id":
                return TryNonEmpty(name, value, v => ClientId = v, out error);
            case "--api-key":
                return TryNonEmpty(name, value, v => ApiKey = v, out error);
            default:
                return TryNonEmpty(name, value, AllowedHosts.Add, out error);
        }
    }

    private static bool TryNonEmpty(string name, string value, Action<string> set, out string? error)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            error = $"{name} must not be empty.";
            return false;
        }

        error = null;
        set(value);
        return true;
    }
}
