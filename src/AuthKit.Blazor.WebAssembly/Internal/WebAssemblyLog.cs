using Microsoft.Extensions.Logging;

namespace AuthKit.Blazor.WebAssembly.Internal;

internal static partial class WebAssemblyLog
{
    [LoggerMessage(EventId = 5901, Level = LogLevel.Information, Message = "AuthKit: the server reports the session ended; the WebAssembly state is now signed out.")]
    public static partial void SessionEnded(ILogger logger);

    [LoggerMessage(EventId = 5902, Level = LogLevel.Debug, Message = "AuthKit: the server's session changed (refresh, organization switch or another user); the WebAssembly state follows.")]
    public static partial void SessionChanged(ILogger logger);

    [LoggerMessage(EventId = 5903, Level = LogLevel.Debug, Message = "AuthKit: the session check got no usable answer; the WebAssembly state is kept.")]
    public static partial void SessionCheckInconclusive(ILogger logger);

    [LoggerMessage(EventId = 5904, Level = LogLevel.Debug, Message = "AuthKit: the tab-visibility check could not be set up; the interval check still runs.")]
    public static partial void VisibilityUnavailable(ILogger logger, Exception exception);
}
