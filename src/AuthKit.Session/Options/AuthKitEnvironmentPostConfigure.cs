using Microsoft.Extensions.Options;

namespace AuthKit.Session;

/// <summary>
/// Applies the <c>WORKOS_*</c> environment variables after all other configuration, so they override programmatic and
/// appsettings values (as in the npm package). Register it as <c>IPostConfigureOptions&lt;AuthKitOptions&gt;</c>.
/// </summary>
internal sealed class AuthKitEnvironmentPostConfigure : IPostConfigureOptions<AuthKitOptions>
{
    private readonly Func<string, string?> _getEnvironmentVariable;

    /// <summary>Reads the process environment (<see cref="Environment.GetEnvironmentVariable(string)"/>).</summary>
    public AuthKitEnvironmentPostConfigure() : this(Environment.GetEnvironmentVariable) { }

    /// <summary>Reads variables through <paramref name="getEnvironmentVariable"/> (tests pass a dictionary lookup).</summary>
    public AuthKitEnvironmentPostConfigure(Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        _getEnvironmentVariable = getEnvironmentVariable;
    }

    /// <inheritdoc />
    public void PostConfigure(string? name, AuthKitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ApplyEnvironment(_getEnvironmentVariable);
    }
}
