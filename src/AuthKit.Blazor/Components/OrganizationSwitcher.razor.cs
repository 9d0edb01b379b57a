using AuthKit.Session;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;

namespace AuthKit.Blazor.Components;

/// <summary>
/// Lists the signed-in user's active organization memberships (from WorkOS), marks the current organization
/// (<c>aria-current</c>) and offers the others as form POSTs (with antiforgery) to the switch-organization endpoint.
/// Renders nothing when signed out.
/// </summary>
public sealed partial class OrganizationSwitcher
{
    private readonly CancellationTokenSource _disposed = new();
    private AuthResult _auth = AuthResult.Anonymous;
    private string? _loadedForUserId;
    private LoadState _state = LoadState.Loading;
    private IReadOnlyList<OrganizationItem> _organizations = [];

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>Where to return after switching. Default: the current page (path and query).</summary>
    [Parameter] public string? ReturnPathname { get; set; }

    /// <summary>Accessible name of the navigation landmark. Default "Organizations".</summary>
    [Parameter] public string Label { get; set; } = "Organizations";

    /// <summary>Extra CSS classes, added to <c>authkit-org-switcher</c>.</summary>
    [Parameter] public string? Class { get; set; }

    /// <summary>Other attributes, applied to the <c>&lt;nav&gt;</c> element.</summary>
    [Parameter(CaptureUnmatchedValues = true)] public IReadOnlyDictionary<string, object>? AdditionalAttributes { get; set; }

    /// <inheritdoc />
    protected override void OnInitialized() => Navigation.LocationChanged += OnLocationChanged;

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        _auth = await AuthKitLinks.GetAuthAsync(AuthenticationState);
        if (!_auth.IsAuthenticated)
        {
            _loadedForUserId = null;
            _state = LoadState.Loading;
            _organizations = [];
            return;
        }

        // A refreshed session (same user) keeps the list; only the current marker moves.
        if (_loadedForUserId == _auth.User.Id && _state != LoadState.Failed)
        {
            return;
        }

        _loadedForUserId = _auth.User.Id;
        _state = LoadState.Loading;
        try
        {
            _organizations = await LoadAsync(_auth.User.Id, _disposed.Token);
            _state = LoadState.Loaded;
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            ComponentLog.OrganizationsLoadFailed(Logger, ex);
            _state = LoadState.Failed;
        }
    }

    private async Task<IReadOnlyList<OrganizationItem>> LoadAsync(string userId, CancellationToken cancellationToken)
    {
        var memberships = await WorkOS.ListOrganizationMembershipsAsync(userId, cancellationToken);
        var active = memberships
            .Where(static m => m.Status is null || string.Equals(m.Status, "active", StringComparison.OrdinalIgnoreCase))
            .DistinctBy(static m => m.OrganizationId)
            .ToList();

        var items = new OrganizationItem[active.Count];
        for (var i = 0; i < active.Count; i++)
        {
            var membership = active[i];
            var name = membership.OrganizationName;
            if (string.IsNullOrWhiteSpace(name))
            {
                name = await GetOrganizationNameAsync(membership.OrganizationId, cancellationToken);
            }

            items[i] = new OrganizationItem(membership.OrganizationId, name, membership.Role);
        }

        return items;
    }

    private async Task<string> GetOrganizationNameAsync(string organizationId, CancellationToken cancellationToken)
    {
        try
        {
            return (await WorkOS.GetOrganizationAsync(organizationId, cancellationToken)).Name;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ComponentLog.OrganizationNameLoadFailed(Logger, ex);
            return organizationId;
        }
    }

    private void OnLocationChanged(object? sender, LocationChangedEventArgs e) => _ = InvokeAsync(StateHasChanged);

    /// <inheritdoc />
    public void Dispose()
    {
        Navigation.LocationChanged -= OnLocationChanged;
        _disposed.Cancel();
        _disposed.Dispose();
    }

    private enum LoadState
    {
        Loading,
        Loaded,
        Failed,
    }

    private sealed record OrganizationItem(string Id, string Name, string? Role);
}
