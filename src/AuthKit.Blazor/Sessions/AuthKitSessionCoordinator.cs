using AuthKit.Session;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor;

/// <summary>The circuit's way to keep a session fresh; see <see cref="IAuthKitSessionCoordinator"/>.</summary>
internal sealed class AuthKitSessionCoordinator(
    SessionResolver resolver,
    SessionRelay relay,
    IServiceProvider services,
    ILogger<AuthKitSessionCoordinator> logger) : IAuthKitSessionCoordinator
{
    public async Task<RevalidationResult> RevalidateAsync(AuthResult current, bool force, CancellationToken cancellationToken = default)
    {
        if (!current.IsAuthenticated)
        {
            return RevalidationResult.Unchanged(current);
        }

        var resolution = await resolver.ResolveSessionAsync(current.Session, force, cancellationToken).ConfigureAwait(false);
        return await ToResultAsync(current, resolution).ConfigureAwait(false);
    }

    public async Task<RevalidationResult> SwitchOrganizationAsync(AuthResult current, string organizationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(organizationId);
        if (!current.IsAuthenticated)
        {
            return RevalidationResult.SignedOut(SignOutReason.Invalid);
        }

        var resolution = await resolver.SwitchOrganizationAsync(current.Session, organizationId, cancellationToken).ConfigureAwait(false);
        return await ToResultAsync(current, resolution).ConfigureAwait(false);
    }

    public ValueTask<bool> IsSessionEndedAsync(string sessionId, CancellationToken cancellationToken = default) =>
        relay.IsEndedAsync(sessionId, cancellationToken);

    private async Task<RevalidationResult> ToResultAsync(AuthResult current, SessionResolution resolution)
    {
        await AuthKitEventsRunner.RaiseRefreshEventsAsync(AuthKitEventsRunner.Resolve(services), services, null, current, resolution, logger).ConfigureAwait(false);
        switch (resolution.Status)
        {
            case SessionResolutionStatus.Authenticated:
                return RevalidationResult.Unchanged(current);
            case SessionResolutionStatus.Updated:
                return RevalidationResult.Refreshed(resolution.Auth, resolution.SealedSession!);
            case SessionResolutionStatus.Ended:
                return RevalidationResult.SignedOut(SignOutReason.EndedElsewhere);
            case SessionResolutionStatus.Rejected:
                var revoked = resolution.Error?.InnerException is WorkOSAuthenticationRequiredException;
                return RevalidationResult.SignedOut(revoked ? SignOutReason.Revoked : SignOutReason.RefreshRejected, resolution.Error);
            case SessionResolutionStatus.Unavailable:
                return RevalidationResult.Transient(current, resolution.RetryAfter ?? TimeSpan.FromSeconds(10), resolution.AccessTokenStillValid, resolution.Error);
            default:
                return RevalidationResult.SignedOut(SignOutReason.Invalid, resolution.Error);
        }
    }
}
