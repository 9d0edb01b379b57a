using AuthKit.Session;
using Microsoft.AspNetCore.Http;
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

    /// <summary>
    /// The refresh events of one resolution, raised here for HTTP requests (the scheme handler) and circuits (the
    /// coordinator) alike, and only by the caller that ran the refresh: <c>OnSessionRefreshed</c> after a WorkOS refresh,
    /// <c>OnSessionRefreshFailed</c> after a rejected (final) or failed (transient) one.
    /// </summary>
    public static Task RaiseRefreshEventsAsync(AuthKitEvents events, IServiceProvider services, HttpContext? http, AuthResult previous, SessionResolution resolution, ILogger logger)
    {
        if (!resolution.IsOwner)
        {
            return Task.CompletedTask;
        }

        if (resolution.Status == SessionResolutionStatus.Updated && resolution.CalledWorkOS)
        {
            return RaiseSafelyAsync(
                () => events.SessionRefreshedAsync(new AuthKitSessionRefreshedContext(services, http, previous, resolution.Auth)),
                logger, nameof(AuthKitEvents.OnSessionRefreshed));
        }

        if (resolution.Error is { } error && resolution.Status is SessionResolutionStatus.Rejected or SessionResolutionStatus.Unavailable)
        {
            return RaiseSafelyAsync(
                () => events.SessionRefreshFailedAsync(new AuthKitSessionRefreshFailedContext(
                    services, http, error, resolution.IsFinal, previous.User?.Id, previous.SessionId)),
                logger, nameof(AuthKitEvents.OnSessionRefreshFailed));
        }

        return Task.CompletedTask;
    }

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
