using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor;

/// <summary>Finds the configured <see cref="AuthKitEvents"/> and raises the refresh events without letting a faulty handler break a request or circuit.</summary>
internal static partial class AuthKitEventsRunner
{
    // The scheme's events as its handler's base class resolves them (EventsType from DI, else Events), for endpoints and circuits.
    public static AuthKitEvents Resolve(IServiceProvider services) =>
        Resolve(services, services.GetRequiredService<IOptionsMonitor<AuthKitAuthenticationOptions>>().Get(AuthKitDefaults.AuthenticationScheme));

    public static AuthKitEvents Resolve(IServiceProvider services, AuthKitAuthenticationOptions options) =>
        options.EventsType is { } type
            ? (AuthKitEvents)services.GetRequiredService(type)
            : options.Events ?? new AuthKitEvents();

    public static async Task RaiseSafelyAsync(Func<Task> raise, ILogger logger, string eventName)
    {
        try
        {
            await raise().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogHandlerFailed(logger, ex, eventName);
        }
    }

    [LoggerMessage(EventId = 5301, Level = LogLevel.Error, Message = "The AuthKit {EventName} event handler threw; continuing.")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string eventName);
}
