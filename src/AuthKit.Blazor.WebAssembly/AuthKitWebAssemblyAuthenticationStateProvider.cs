using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using AuthKit.Blazor.Internal;
using AuthKit.Blazor.WebAssembly.Internal;
using AuthKit.Session;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;

namespace AuthKit.Blazor.WebAssembly;

/// <summary>
/// The authentication state of WebAssembly components: it starts from the session the server persisted into the page
/// (<c>AddAuthKit().AddWebAssemblySupport()</c>) and follows the server's session by checking its same-origin session
/// endpoint every <see cref="AuthKitWebAssemblyOptions.SessionCheckInterval"/> and when the tab becomes visible: a
/// session that ended (signed out in another tab, revoked) becomes anonymous; a refreshed or switched session replaces
/// the state. Components read it as on the server: <c>state.GetAuthResult()</c> gives the user, session id,
/// organization, roles, permissions, entitlements, feature flags, impersonator and access-token expiry; its
/// <see cref="AuthResult.AccessToken"/> and <see cref="AuthResult.RefreshToken"/> are empty — the tokens stay on the server.
/// A check without a usable answer (offline, server error) keeps the current state.
/// </summary>
public sealed class AuthKitWebAssemblyAuthenticationStateProvider : AuthenticationStateProvider, IAsyncDisposable, IDisposable
{
    internal const string ModulePath = "./_content/AuthKit.Blazor.WebAssembly/authkit-webassembly.js";

    private readonly Lock _gate = new();
    private readonly AuthKitSessionClient _client;
    private readonly IJSRuntime _js;
    private readonly TimeProvider _time;
    private readonly AuthKitWebAssemblyOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private AuthKitAuthenticationState _current;
    private Task<AuthenticationState> _currentTask;
    private Task? _check;
    private PeriodicTimer? _timer;
    private IJSObjectReference? _visibility;
    private DotNetObjectReference<VisibilityCallback>? _callback;
    private bool _started;
    private readonly TimeSpan _interval;

    internal AuthKitWebAssemblyAuthenticationStateProvider(
        AuthKitSessionClient client,
        IJSRuntime js,
        TimeProvider time,
        IOptions<AuthKitWebAssemblyOptions> options,
        ILogger<AuthKitWebAssemblyAuthenticationStateProvider> logger,
        PersistentComponentState? persistedState)
    {
        _client = client;
        _js = js;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _interval = ReadPersistedInterval(persistedState) ?? _options.SessionCheckInterval;
        _current = new AuthKitAuthenticationState(ReadPersisted(persistedState));
        _currentTask = Task.FromResult<AuthenticationState>(_current);
    }

    /// <summary>The current state (an <see cref="AuthKitAuthenticationState"/>). The first call starts the session checks.</summary>
    public override Task<AuthenticationState> GetAuthenticationStateAsync()
    {
        Start();
        lock (_gate)
        {
            return _currentTask;
        }
    }

    /// <summary>
    /// Asks the server now whether the session is still the same and updates the state (one check at a time: a call
    /// while a check runs shares it). Never throws for a failed check: the state is kept.
    /// </summary>
    public Task CheckSessionAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_check is { IsCompleted: false } running)
            {
                return running;
            }

            return _check = RunCheckAsync(cancellationToken);
        }
    }

    private async Task RunCheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
            var check = await _client.CheckAsync(linked.Token).ConfigureAwait(false);
            Apply(check);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Apply(SessionCheck check)
    {
        AuthKitAuthenticationState next;
        lock (_gate)
        {
            switch (check.Outcome)
            {
                case SessionCheckOutcome.Ended when _current.Auth.IsAuthenticated:
                    WebAssemblyLog.SessionEnded(_logger);
                    next = AuthKitAuthenticationState.Anonymous;
                    break;
                case SessionCheckOutcome.Signed when !SameSession(_current.Auth, check.Auth):
                    WebAssemblyLog.SessionChanged(_logger);
                    next = new AuthKitAuthenticationState(check.Auth);
                    break;
                case SessionCheckOutcome.Unknown:
                    WebAssemblyLog.SessionCheckInconclusive(_logger);
                    return;
                default:
                    return;
            }

            _current = next;
            _currentTask = Task.FromResult<AuthenticationState>(next);
        }

        NotifyAuthenticationStateChanged(Task.FromResult<AuthenticationState>(next));
    }

    // The same user, session, claims and expiry: nothing a component could show differently.
    private static bool SameSession(AuthResult current, AuthResult candidate) =>
        current.IsAuthenticated && candidate.IsAuthenticated
        && string.Equals(Fingerprint(current), Fingerprint(candidate), StringComparison.Ordinal);

    private static string Fingerprint(AuthResult auth) => AuthKitClientState.From(auth)?.ToJson().GetRawText() ?? string.Empty;

    private void Start()
    {
        lock (_gate)
        {
            if (_started || _stopping.IsCancellationRequested)
            {
                return;
            }

            _started = true;
            var interval = _interval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : _interval;
            _timer = new PeriodicTimer(interval, _time);
        }

        _ = RunTimerAsync(_timer);
        if (_options.CheckWhenVisible)
        {
            _ = ObserveVisibilityAsync();
        }
    }

    private async Task RunTimerAsync(PeriodicTimer timer)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                await CheckSessionAsync(_stopping.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ObserveVisibilityAsync()
    {
        try
        {
            var callback = DotNetObjectReference.Create(new VisibilityCallback(() => CheckSessionAsync(_stopping.Token)));
            _callback = callback;
            await using var module = await _js.InvokeAsync<IJSObjectReference>("import", _stopping.Token, ModulePath).ConfigureAwait(false);
            _visibility = await module.InvokeAsync<IJSObjectReference>("observeVisibility", _stopping.Token, callback).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or InvalidOperationException or OperationCanceledException)
        {
            WebAssemblyLog.VisibilityUnavailable(_logger, ex);
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The persisted value is read as a JsonElement (built-in converter); the state itself by the source-generated AuthKitClientStateJsonContext.")]
    private static AuthResult ReadPersisted(PersistentComponentState? state)
    {
        try
        {
            return state is not null && state.TryTakeFromJson<JsonElement>(AuthKitClientState.PersistenceKey, out var json)
                ? AuthKitClientState.ToAuthResult(json)
                : AuthResult.Anonymous;
        }
        catch (JsonException)
        {
            return AuthResult.Anonymous;
        }
    }

    /// <summary>The check interval the server handed over with the page, if any.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The persisted value is read as a JsonElement (built-in converter).")]
    private static TimeSpan? ReadPersistedInterval(PersistentComponentState? state)
    {
        try
        {
            return state is not null
                && state.TryTakeFromJson<JsonElement>(AuthKitClientSettings.PersistenceKey, out var json)
                && json.ValueKind == JsonValueKind.Object
                && json.TryGetProperty(AuthKitClientSettings.SessionCheckIntervalMs, out var ms)
                && ms.TryGetInt64(out var milliseconds) && milliseconds > 0
                ? TimeSpan.FromMilliseconds(milliseconds)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Stops the checks (the tab-visibility listener goes with the page).</summary>
    public void Dispose()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _stopping.Cancel();
        _timer?.Dispose();
        _callback?.Dispose();
    }

    /// <summary>Stops the checks and removes the tab-visibility listener.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _timer?.Dispose();
        if (_visibility is not null)
        {
            try
            {
                await _visibility.InvokeVoidAsync("dispose").ConfigureAwait(false);
                await _visibility.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is JSException or JSDisconnectedException or InvalidOperationException)
            {
            }
        }

        _callback?.Dispose();
    }
}
