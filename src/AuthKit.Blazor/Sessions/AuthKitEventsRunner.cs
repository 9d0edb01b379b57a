using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AuthKit.Blazor;

/// <summary>Finds the configured <see cref="AuthKitEvents"/> and raises the refresh events without letting a faulty handler break a request or circuit.</summary>
internal static partial class AuthKitEventsRunner
{
    public static AuthKitEvents Resolve(IServiceProvider services, AuthKitBlazorOptions options) =>
        options.EventsType is { } type
            ? (AuthKitEvents)(services.GetService(type) ?? ActivatorUtilities.CreateInstance(services, type))
            : options.Events;

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
