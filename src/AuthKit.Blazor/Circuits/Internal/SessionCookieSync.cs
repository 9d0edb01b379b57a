using AuthKit.Blazor.Components;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;

namespace AuthKit.Blazor;

/// <summary>
/// Asks the circuit's browser to POST (same-origin <c>fetch</c>, with credentials) to the session endpoint, so the
/// HttpOnly cookie receives the session the circuit rotated to (the endpoint reads it from the relay). A circuit has
/// no HTTP response of its own; this is how its refreshes reach the cookie.
/// </summary>
/// <remarks>
/// The JS runtime and navigation manager are resolved when needed, so resolving the state provider in a plain HTTP
/// request scope (an API endpoint asking for an access token) works without Razor component services.
/// </remarks>
internal sealed partial class SessionCookieSync(
    IServiceProvider services,
    IOptionsMonitor<AuthKitAuthenticationOptions> options,
    TimeProvider timeProvider,
    ILogger<SessionCookieSync> logger)
{
    /// <summary>The static web asset path of the module.</summary>
    internal const string ModulePath = "./_content/AuthKit.Blazor/authkit.js";

    /// <summary>The module's export that performs the POST and returns the HTTP status (0 on a network error).</summary>
    internal const string StoreSessionFunction = "storeSession";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    // Imported once per circuit. Not disposed: it lives exactly as long as the circuit's JS runtime.
    private IJSObjectReference? _module;

    /// <summary>The module's export that starts noticing sign-out form submissions in the tab.</summary>
    internal const string WatchSignOutFunction = "watchSignOut";

    /// <summary>The module's export that says whether the tab submitted a sign-out form lately.</summary>
    internal const string IsSigningOutFunction = "isSigningOut";

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Returns true when the endpoint answered 2xx; false when the browser is unreachable or the call failed.</summary>
    public async Task<bool> TryStoreSessionAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(Timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            if (await GetModuleAsync(linked.Token).ConfigureAwait(false) is not { } found)
            {
                LogUnreachable(logger, "NoJSRuntime");
                return false;
            }

            var (module, navigation) = found;

            var url = AuthKitLinks.Endpoint(navigation, options.Get(AuthKitDefaults.AuthenticationScheme).SessionPath);
            var status = await module.InvokeAsync<int>(StoreSessionFunction, linked.Token, url, AuthKitDefaults.SessionRequestHeader).ConfigureAwait(false);
            if (status is >= 200 and < 300)
            {
                LogStored(logger, status);
                return true;
            }

            LogRejected(logger, status);
            return false;
        }
        catch (Exception ex) when (IsUnreachable(ex))
        {
            // Disconnected circuit, prerendering (no JS), timeout, or a script error: the relay covers it.
            LogUnreachable(logger, ex.GetType().Name);
            return false;
        }
    }

    /// <summary>
    /// Has the tab notice its own sign-out form submissions (see <see cref="IsSigningOutAsync"/>). Best effort: false when
    /// the browser cannot be reached (the circuit then treats a sign-out notification as coming from another tab).
    /// </summary>
    public async Task<bool> TryWatchSignOutAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(Timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            if (await GetModuleAsync(linked.Token).ConfigureAwait(false) is not { } found)
            {
                return false;
            }

            var (module, navigation) = found;

            var url = AuthKitLinks.Endpoint(navigation, options.Get(AuthKitDefaults.AuthenticationScheme).SignOutPath);
            await module.InvokeVoidAsync(WatchSignOutFunction, linked.Token, url).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (IsUnreachable(ex))
        {
            LogWatchUnavailable(logger, ex.GetType().Name);
            return false;
        }
    }

    /// <summary>
    /// Whether the tab submitted a sign-out form within <paramref name="within"/>: it is following the sign-out redirects
    /// and must not be sent to sign-in meanwhile. False when the browser cannot be reached within 2 s.
    /// </summary>
    public async Task<bool> IsSigningOutAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(ProbeTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            return await GetModuleAsync(linked.Token).ConfigureAwait(false) is { } found
                && await found.Module.InvokeAsync<bool>(IsSigningOutFunction, linked.Token, (long)within.TotalMilliseconds).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsUnreachable(ex))
        {
            return false;
        }
    }

    private async Task<(IJSObjectReference Module, NavigationManager Navigation)?> GetModuleAsync(CancellationToken cancellationToken)
    {
        var jsRuntime = services.GetService<IJSRuntime>();
        var navigation = services.GetService<NavigationManager>();
        if (jsRuntime is null || navigation is null)
        {
            return null;
        }

        _module ??= await jsRuntime.InvokeAsync<IJSObjectReference>("import", cancellationToken, ModulePath).ConfigureAwait(false);
        return (_module, navigation);
    }

    private static bool IsUnreachable(Exception ex) => ex is JSDisconnectedException or JSException or InvalidOperationException or OperationCanceledException;

    [LoggerMessage(EventId = 5610, Level = LogLevel.Debug, Message = "The browser stored the circuit's refreshed session in the cookie (HTTP {Status}).")]
    private static partial void LogStored(ILogger logger, int status);

    [LoggerMessage(EventId = 5611, Level = LogLevel.Warning, Message = "The session endpoint answered HTTP {Status} to the circuit's cookie update; the relay keeps the session for the next request.")]
    private static partial void LogRejected(ILogger logger, int status);

    [LoggerMessage(EventId = 5612, Level = LogLevel.Debug, Message = "The browser could not be asked to store the refreshed session ({ErrorType}); the relay keeps it for the next request.")]
    private static partial void LogUnreachable(ILogger logger, string errorType);

    [LoggerMessage(EventId = 5613, Level = LogLevel.Debug, Message = "The browser could not be asked to watch for sign-out form submissions ({ErrorType}); a sign-out this tab posts may send it to sign-in instead of the signed-out page.")]
    private static partial void LogWatchUnavailable(ILogger logger, string errorType);
}
