using Microsoft.Extensions.Options;

namespace AuthKit.Session;

/// <summary>Options produced by a factory on first use (the npm package's lazy configuration).</summary>
internal sealed class LazyAuthKitOptions(Func<AuthKitOptions> factory) : IOptions<AuthKitOptions>
{
    private readonly Lazy<AuthKitOptions> _value = new(() => Resolve(factory), LazyThreadSafetyMode.ExecutionAndPublication);

    public AuthKitOptions Value => _value.Value;

    private static AuthKitOptions Resolve(Func<AuthKitOptions> factory)
    {
        var options = factory() ?? throw new InvalidOperationException("The AuthKit options factory returned null.");
        // Same layering as the DI path: WORKOS_* environment variables override, then everything is validated at once.
        new AuthKitEnvironmentPostConfigure().PostConfigure(Options.DefaultName, options);
        var validation = new AuthKitOptionsValidator().Validate(Options.DefaultName, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(AuthKitOptions), [validation.FailureMessage]);
        }

        return options;
    }
}
