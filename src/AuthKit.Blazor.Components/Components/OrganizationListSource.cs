using AuthKit.Session;
using Microsoft.Extensions.Logging;

namespace AuthKit.Blazor.Components;

/// <summary>
/// Where <see cref="OrganizationSwitcher"/> gets the signed-in user's active organizations: WorkOS on the server
/// (<see cref="WorkOSOrganizationListSource"/>), the server's organizations endpoint in WebAssembly.
/// </summary>
internal interface IOrganizationListSource
{
    /// <summary>The user's active organization memberships (id and display name), each organization once.</summary>
    Task<IReadOnlyList<SwitcherOrganization>> ListAsync(string userId, CancellationToken cancellationToken);
}

/// <summary>The organizations from WorkOS: active memberships, names looked up when the membership lacks one.</summary>
internal sealed class WorkOSOrganizationListSource(IWorkOSUserManagement workOS, ILogger logger) : IOrganizationListSource
{
    public async Task<IReadOnlyList<SwitcherOrganization>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        var memberships = await workOS.ListOrganizationMembershipsAsync(userId, cancellationToken).ConfigureAwait(true);
        var active = memberships
            .Where(static m => m.Status is null || string.Equals(m.Status, "active", StringComparison.OrdinalIgnoreCase))
            .DistinctBy(static m => m.OrganizationId)
            .ToList();

        var items = new SwitcherOrganization[active.Count];
        for (var i = 0; i < active.Count; i++)
        {
            var membership = active[i];
            var name = membership.OrganizationName;
            if (string.IsNullOrWhiteSpace(name))
            {
                name = await GetOrganizationNameAsync(membership.OrganizationId, cancellationToken).ConfigureAwait(true);
            }

            items[i] = new SwitcherOrganization(membership.OrganizationId, name);
        }

        return items;
    }

    private async Task<string> GetOrganizationNameAsync(string organizationId, CancellationToken cancellationToken)
    {
        try
        {
            return (await workOS.GetOrganizationAsync(organizationId, cancellationToken).ConfigureAwait(true)).Name;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ComponentLog.OrganizationNameLoadFailed(logger, ex);
            return organizationId;
        }
    }
}
