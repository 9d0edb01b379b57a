using Microsoft.Extensions.Options;

namespace BlazorApp;

/// <summary>
/// Runs the options validation registered with <c>ValidateOnStart</c> (AuthKit's settings among them) before the app
/// maps its endpoints, so a misconfigured sample stops with the validation message and exit code
/// <see cref="ExitCode"/> instead of an unhandled exception with a stack trace.
/// </summary>
internal static class StartupValidation
{
    /// <summary>The process exit code when the configuration is invalid.</summary>
    public const int ExitCode = 1;

    /// <summary>
    /// Validates the options; on failure writes every message to <paramref name="error"/> and returns
    /// <see langword="false"/>.
    /// </summary>
    public static bool TryValidate(IServiceProvider services, TextWriter error)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return true;
        }
        catch (OptionsValidationException ex)
        {
            error.WriteLine(ex.Message);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            foreach (var inner in ex.InnerExceptions)
            {
                error.WriteLine(inner.Message);
            }
        }

        return false;
    }
}
