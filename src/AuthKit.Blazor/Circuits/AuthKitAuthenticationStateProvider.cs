using AuthKit.Session;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;

namespace AuthKit.Blazor;

/// <summary>
/// The authentication state of a Blazor circuit (or a prerendering request). It starts from the host's state (the
/// principal the AuthKit scheme built for the HTTP request), keeps that session for the circuit, and — unlike the
/// framework's revalidating provider, which can only sign out — replaces the principal when the session is refreshed
/// or switched to another organization. It becomes anonymous only on final failures (refresh token rejected, session
/// revoked or signed out elsewhere); transient WorkOS failures keep the user signed in while the access token is valid.
/// This class holds the state; its revalidator (driven by AuthKit's circuit handler: timer, inbound activity,
/// reconnection) decides the changes. Every principal built for a new session runs through the app's
/// <see cref="IClaimsTransformation"/> (resolved from the circuit's services), as ASP.NET Core does for each HTTP
/// request, so app claims survive refreshes and switches.
/// </summary>
public sealed class AuthKitAuthenticationStateProvider : AuthenticationStateProvider, IHostEnvironmentAuthenticationStateProvider, ICircuitAuthSource, IDisposable
{
    private readonly Lock _gate = new();
    private bool _hasHostState;
    private AuthKitAuthenticationState _published = AuthKitAuthenticationState.Anonymous;
    private Task<AuthenticationState>? _stateTask;
    // The session this circuit keeps. Usually _published.Auth; stays authenticated (and is retried) while the published
    // state is anonymous because transient failures outlived the access token.
    private AuthResult _session = AuthResult.Anonymous;

    /// <param name="createRevalidator">Creates the revalidator of this state (owned and disposed by the provider).</param>
    internal AuthKitAuthenticationStateProvider(Func<AuthKitAuthenticationStateProvider, CircuitSessionRevalidator> createRevalidator)
    {
        Revalidator = createRevalidator(this);
    }

    /// <summary>Revalidates this state's session (timer, single-flight, back-off, claims transformation).</summary>
    internal CircuitSessionRevalidator Revalidator { get; }

    /// <summary>The current state (an <see cref="AuthKitAuthenticationState"/>).</summary>
    /// <exception cref="InvalidOperationException">
    /// Called outside a Razor component's scope (before the host set the state), like the framework's provider.
    /// </exception>
    public override Task<AuthenticationState> GetAuthenticationStateAsync()
    {
        lock (_gate)
        {
            return _stateTask ?? throw new InvalidOperationException(
                "The authentication state is only available to Razor components and services resolved for them (a circuit or a " +
                "prerendering request). In other code use the HttpContext's user, or IAccessTokenProvider for the access token.");
        }
    }

    /// <summary>
    /// Accepts the host's state: the request's principal when the circuit starts, and again after each reconnection.
    /// A reconnection never downgrades the circuit: an older copy of the same session, or an anonymous principal, leaves
    /// the circuit's newer session in place (the immediate revalidation after reconnecting decides).
    /// </summary>
    public void SetAuthenticationState(Task<AuthenticationState> authenticationStateTask)
    {
        ArgumentNullException.ThrowIfNull(authenticationStateTask);
        if (authenticationStateTask.IsCompletedSuccessfully)
        {
            AcceptHostState(authenticationStateTask.Result);
            return;
        }

        var merged = AcceptHostStateAsync(authenticationStateTask);
        lock (_gate)
        {
            _stateTask = merged;
        }

        NotifyAuthenticationStateChanged(merged);
    }

    /// <summary>
    /// Switches the circuit's session to <paramref name="organizationId"/> (a refresh scoped to that organization) and
    /// replaces the principal. The cookie follows through the session endpoint. Returns false when the switch failed
    /// (not a member, WorkOS unavailable, signed out, or the app's claims transformation threw); a final failure also
    /// signs the circuit out.
    /// Prefer <c>&lt;OrganizationSwitcher&gt;</c> (a form POST) on pages that can reload.
    /// </summary>
    public Task<bool> SwitchOrganizationAsync(string organizationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(organizationId);
        return Revalidator.SwitchOrganizationAsync(organizationId, cancellationToken);
    }

    /// <inheritdoc />
    async ValueTask<AuthResult> ICircuitAuthSource.GetCurrentAuthResultAsync(CancellationToken cancellationToken)
    {
        await GetAuthenticationStateAsync().ConfigureAwait(false);
        await Revalidator.RevalidateIfDueAsync(cancellationToken).ConfigureAwait(false);
        return Current.Auth;
    }

    /// <summary>The session the circuit keeps (authenticated, or anonymous after a final failure).</summary>
    internal AuthResult Session
    {
        get
        {
            lock (_gate)
            {
                return _session;
            }
        }
    }

    /// <summary>The published state (anonymous while transient failures outlive the kept session's access token).</summary>
    internal AuthKitAuthenticationState Current
    {
        get
        {
            lock (_gate)
            {
                return _published;
            }
        }
    }

    /// <summary>
    /// Replaces the kept session <paramref name="basis"/> with <paramref name="successor"/> and publishes it. False (and
    /// nothing changes) when the session was replaced meanwhile by one <paramref name="successor"/> is not newer than.
    /// </summary>
    internal bool TryReplaceSession(AuthResult basis, AuthKitAuthenticationState successor)
    {
        Task<AuthenticationState> published;
        lock (_gate)
        {
            if (!ReferenceEquals(_session, basis) && !IsNewer(successor.Auth, _session))
            {
                return false;
            }

            _session = successor.Auth;
            published = Publish(successor);
        }

        NotifyAuthenticationStateChanged(published);
        return true;
    }

    /// <summary>Ends the kept session <paramref name="basis"/> (anonymous). False when the session was replaced meanwhile.</summary>
    internal bool TryEndSession(AuthResult basis)
    {
        Task<AuthenticationState> published;
        lock (_gate)
        {
            if (!ReferenceEquals(_session, basis))
            {
                return false;
            }

            _session = AuthResult.Anonymous;
            published = Publish(AuthKitAuthenticationState.Anonymous);
        }

        NotifyAuthenticationStateChanged(published);
        return true;
    }

    /// <summary>
    /// Publishes <paramref name="state"/> while keeping the session <paramref name="basis"/>: anonymous while WorkOS is
    /// unreachable past the access token's expiry, or <paramref name="basis"/>'s state again when it is back. False
    /// when the session was replaced meanwhile or the published state is already signed in (out) as asked.
    /// </summary>
    internal bool TryPublishKept(AuthResult basis, AuthKitAuthenticationState state)
    {
        Task<AuthenticationState> published;
        lock (_gate)
        {
            if (!ReferenceEquals(_session, basis) || _published.Auth.IsAuthenticated == state.Auth.IsAuthenticated)
            {
                return false;
            }

            published = Publish(state);
        }

        NotifyAuthenticationStateChanged(published);
        return true;
    }

    // Under _gate.
    private Task<AuthenticationState> Publish(AuthKitAuthenticationState state)
    {
        _published = state;
        return _stateTask = Task.FromResult<AuthenticationState>(state);
    }

    private void AcceptHostState(AuthenticationState incoming)
    {
        Task<AuthenticationState>? publishedTask;
        lock (_gate)
        {
            publishedTask = MergeHostState(incoming);
        }

        if (publishedTask is not null)
        {
            NotifyAuthenticationStateChanged(publishedTask);
        }
    }

    private async Task<AuthenticationState> AcceptHostStateAsync(Task<AuthenticationState> incomingTask)
    {
        var incoming = await incomingTask.ConfigureAwait(false);
        lock (_gate)
        {
            MergeHostState(incoming);
            return _published;
        }
    }

    // Under _gate. Returns the new state task when the published state changed. A replaced session also ends the
    // revalidator's back-off (it belongs to the session that failed).
    private Task<AuthenticationState>? MergeHostState(AuthenticationState incoming)
    {
        var incomingAuth = incoming.GetAuthResult();
        if (_hasHostState)
        {
            if (!incomingAuth.IsAuthenticated && _session.IsAuthenticated)
            {
                return null;
            }

            if (incomingAuth.IsAuthenticated && _session.IsAuthenticated && !IsNewer(incomingAuth, _session))
            {
                return null;
            }
        }

        _hasHostState = true;
        _session = incomingAuth;
        // Keep the host's principal (it may carry claims the app added); AuthKit's own result rides along.
        return Publish(incoming as AuthKitAuthenticationState ?? new AuthKitAuthenticationState(incoming.User, incomingAuth));
    }

    // Whether candidate should replace current: another user or session, or a later access token of the same session.
    private static bool IsNewer(AuthResult candidate, AuthResult current)
    {
        if (!candidate.IsAuthenticated)
        {
            return false;
        }

        if (!current.IsAuthenticated)
        {
            return true;
        }

        if (candidate.User.Id != current.User.Id || candidate.SessionId != current.SessionId)
        {
            return true;
        }

        if (candidate.AccessToken == current.AccessToken)
        {
            return false;
        }

        return (candidate.AccessTokenExpiresAt ?? DateTimeOffset.MinValue) > (current.AccessTokenExpiresAt ?? DateTimeOffset.MinValue)
            || (candidate.OrganizationId != current.OrganizationId && candidate.AccessTokenExpiresAt >= current.AccessTokenExpiresAt);
    }

    /// <summary>Stops revalidation; later results are ignored.</summary>
    public void Dispose() => Revalidator.Dispose();
}
