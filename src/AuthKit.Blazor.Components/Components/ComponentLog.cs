using Microsoft.Extensions.Logging;

namespace AuthKit.Blazor.Components;

/// <summary>Log messages of the components (EventIds 5700–5719).</summary>
internal static partial class ComponentLog
{
    [LoggerMessage(EventId = 5700, Level = LogLevel.Warning, Message = "Could not list the user's organization memberships; the organization switcher shows an error.")]
    public static partial void OrganizationsLoadFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5701, Level = LogLevel.Debug, Message = "Could not read an organization's name; showing its id.")]
    public static partial void OrganizationNameLoadFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5702, Level = LogLevel.Debug, Message = "Showing the organizations loaded during prerendering; WorkOS is not asked again.")]
    public static partial void OrganizationsFromPrerendering(ILogger logger);

    [LoggerMessage(EventId = 5703, Level = LogLevel.Debug, Message = "Ignored the organizations persisted by prerendering: they were loaded for another user, session or organization. Loading them again.")]
    public static partial void PrerenderedOrganizationsIgnored(ILogger logger);
}
