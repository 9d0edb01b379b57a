using Microsoft.Extensions.Logging;

namespace AuthKit.Testing.Internal;

/// <summary>The emulator's log messages. Secrets never appear: query strings and bodies are redacted first.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "WorkOS emulator listening on {BaseUri} (client {ClientId}, signing key {Kid})")]
    public static partial void Started(ILogger logger, Uri baseUri, string clientId, string kid);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "{Method} {Path}{Query} -> {Status}")]
    public static partial void Request(ILogger logger, string method, string path, string query, int status);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Debug, Message = "Authenticate body: {Body}")]
    public static partial void AuthenticateBody(ILogger logger, string body);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Injected fault on {Method} {Path}: status {Status}, delay {Delay}")]
    public static partial void FaultServed(ILogger logger, string method, string path, int? status, TimeSpan? delay);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Grant {GrantType} rejected: {Reason}")]
    public static partial void GrantRejected(ILogger logger, string grantType, string reason);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information, Message = "Session {SessionId} created for {UserId} in organization {OrganizationId}")]
    public static partial void SessionCreated(ILogger logger, string sessionId, string userId, string organizationId);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Debug, Message = "Session {SessionId} refreshed (organization {OrganizationId})")]
    public static partial void SessionRefreshed(ILogger logger, string sessionId, string organizationId);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Information, Message = "Organization selection required for {UserId} ({Count} organizations)")]
    public static partial void OrganizationSelectionRequired(ILogger logger, string userId, int count);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Information, Message = "Session {SessionId} ended ({Reason})")]
    public static partial void SessionEnded(ILogger logger, string sessionId, string reason);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Signing key rotated; new key {Kid}")]
    public static partial void KeyRotated(ILogger logger, string kid);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "Authorize request rejected: {Reason}")]
    public static partial void AuthorizeRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Information, Message = "Control: {Action}")]
    public static partial void Control(ILogger logger, string action);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "Request with a missing or wrong API key to {Path}")]
    public static partial void Unauthorized(ILogger logger, string path);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Warning, Message = "Request to {Path} with a Host that is neither loopback nor allow-listed ({Host}) -> 400")]
    public static partial void HostRejected(ILogger logger, string path, string host);

    [LoggerMessage(EventId = 4015, Level = LogLevel.Information, Message = "Sign-in of {UserId} needs another step: {Step}")]
    public static partial void ContinuationRequired(ILogger logger, string step, string userId);
}
