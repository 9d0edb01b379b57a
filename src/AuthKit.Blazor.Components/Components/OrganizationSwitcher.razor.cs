using AuthKit.Session;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AuthKit.Blazor.Components;

/// <summary>
/// Lists the signed-in user's active organization memberships (from WorkOS), marks the current organization
/// (<c>aria-current</c>) and offers the others as form POSTs (with antiforgery) to the switch-organization endpoint.
/// Renders nothing when signed out.
/// </summary>
/// <remarks>
/// When the component is prerendered and then goes interactive, the list loaded during prerendering is carried to
/// the interactive render (<see cref="PersistentComponentState"/>) and reused only when the interactive render sees
/// the same user, session and current organization; otherwise the list is loaded again.
/// </remarks>
public sealed partial class OrganizationSwitcher
{
    private readonly CancellationTokenSource _disposed = new();
    private AuthResult _auth = AuthResult.Anonymous;
    private string? _loadedForUserId;
    private LoadState _state = LoadState.Loading;
    private IReadOnlyList<SwitcherOrganization> _organizations = [];
    private PersistedOrganizations? _prerendered;
    private PersistentComponentState? _applicationState;
    private PersistingComponentStateSubscription? _persisting;

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
    protected override void OnInitialized()
    {
        Navigation.LocationChanged += OnLocationChanged;

        // Every Razor Components host registers it; hosts without it (plain test renderers) just load the list.
        _applicationState = Services.GetService<PersistentComponentState>();
        if (_applicationState is null)
        {
            return;
        }

        // Interactive render of a prerendered page: take (and so remove) the list the prerender persisted.
        // Whether it may be shown is decided against the session in OnParametersSetAsync.
        _prerendered = OrganizationSwitcherPersistence.Take(_applicationState);

        // Prerendering a component that goes interactive: hand the loaded list over instead of letting the
        // interactive render fetch it again. Static-only components (no render mode) persist nothing.
        if (AssignedRenderMode is { } renderMode && !RendererInfo.IsInteractive)
        {
            _persisting = _applicationState.RegisterOnPersisting(PersistOrganizationsAsync, renderMode);
        }
    }

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        _auth = await AuthKitLinks.GetAuthAsync(AuthenticationState);

        // The prerendered list can serve the first load only; later loads (another user, a retry) ask WorkOS.
        var prerendered = _prerendered;
        _prerendered = null;

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
        if (prerendered is not null)
        {
            if (string.Equals(prerendered.Scope, OrganizationSwitcherPersistence.ScopeOf(_auth), StringComparison.Ordinal))
            {
                ComponentLog.OrganizationsFromPrerendering(Logger);
                _organizations = prerendered.Organizations;
                _state = LoadState.Loaded;
                return;
            }

            ComponentLog.PrerenderedOrganizationsIgnored(Logger);
        }

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

    private Task PersistOrganizationsAsync()
    {
        // Only a complete list of the session that rendered it; a failed or unfinished load is retried interactively.
        if (_applicationState is not null && _state == LoadState.Loaded && _auth.IsAuthenticated && _loadedForUserId == _auth.User.Id)
        {
            OrganizationSwitcherPersistence.TryPersist(_applicationState, new(OrganizationSwitcherPersistence.ScopeOf(_auth), _organizations));
        }

        return Task.CompletedTask;
    }

    // WorkOS on the server; the server's organizations endpoint in WebAssembly (AddAuthKitWebAssembly registers it).
    private Task<IReadOnlyList<SwitcherOrganization>> LoadAsync(string userId, CancellationToken cancellationToken)
    {
        var source = Services.GetService<IOrganizationListSource>()
            ?? new WorkOSOrganizationListSource(Services.GetRequiredService<IWorkOSUserManagement>(), Logger);
        return source.ListAsync(userId, cancellationToken);
    }

    private void OnLocationChanged(object? sender, LocationChangedEventArgs e) => _ = InvokeAsync(StateHasChanged);

    /// <inheritdoc />
    public void Dispose()
    {
        Navigation.LocationChanged -= OnLocationChanged;
        _persisting?.Dispose();
        _disposed.Cancel();
        _disposed.Dispose();
    }

    private enum LoadState
    {
        Loading,
        Loaded,
        Failed,
    }
}
