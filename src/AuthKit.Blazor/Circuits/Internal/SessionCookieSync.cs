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

    /// <summary>Returns true when the endpoint answered 2xx; false when the browser is unreachable or the call failed.</summary>
    public async Task<bool> TryStoreSessionAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(Timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            var jsRuntime = services.GetService<IJSRuntime>();
            var navigation = services.GetService<NavigationManager>();
            if (jsRuntime is null || navigation is null)
            {
                LogUnreachable(logger, "NoJSRuntime");
                return false;
            }

            var url = AuthKitLinks.Endpoint(navigation, options.Get(AuthKitDefaults.AuthenticationScheme).SessionPath);
            _module ??= await jsRuntime.InvokeAsync<IJSObjectReference>("import", linked.Token, ModulePath).ConfigureAwait(false);
            var status = await _module.InvokeAsync<int>(StoreSessionFunction, linked.Token, url, AuthKitDefaults.SessionRequestHeader).ConfigureAwait(false);
            if (status is >= 200 and < 300)
            {
                LogStored(logger, status);
                return true;
            }

            LogRejected(logger, status);
            return false;
        }
        catch (Exception ex) when (ex is JSDisconnectedException or JSException or InvalidOperationException or OperationCanceledException)
        {
            // Disconnected circuit, prerendering (no JS), timeout, or a script error: the relay covers it.
            LogUnreachable(logger, ex.GetType().Name);
            return false;
        }
    }

    [LoggerMessage(EventId = 5610, Level = LogLevel.Debug, Message = "The browser stored the circuit's refreshed session in the cookie (HTTP {Status}).")]
    private static partial void LogStored(ILogger logger, int status);

    [LoggerMessage(EventId = 5611, Level = LogLevel.Warning, Message = "The session endpoint answered HTTP {Status} to the circuit's cookie update; the relay keeps the session for the next request.")]
    private static partial void LogRejected(ILogger logger, int status);

    [LoggerMessage(EventId = 5612, Level = LogLevel.Debug, Message = "The browser could not be asked to store the refreshed session ({ErrorType}); the relay keeps it for the next request.")]
    private static partial void LogUnreachable(ILogger logger, string errorType);
}
