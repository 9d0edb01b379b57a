using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using AuthKit.Blazor.Internal;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor.WebAssembly;

/// <summary>
/// Hands the request's AuthKit session to WebAssembly (and Auto) components through persisted component state: the
/// user, impersonator and session claims (<see cref="AuthKitClientState"/>), never a token. The host gives it the
/// request's authentication state as it does every <see cref="IHostEnvironmentAuthenticationStateProvider"/>.
/// </summary>
internal sealed class WebAssemblyAuthenticationStatePersister : IHostEnvironmentAuthenticationStateProvider, IDisposable
{
    private readonly PersistentComponentState _state;
    private readonly PersistingComponentStateSubscription _subscription;
    private Task<AuthenticationState>? _authenticationState;

    private readonly AuthKitWebAssemblySupportOptions _options;

    public WebAssemblyAuthenticationStatePersister(PersistentComponentState state, IOptions<AuthKitWebAssemblySupportOptions> options)
    {
        _state = state;
        _options = options.Value;
        _subscription = state.RegisterOnPersisting(PersistAsync, RenderMode.InteractiveWebAssembly);
    }

    public void SetAuthenticationState(Task<AuthenticationState> authenticationStateTask) =>
        _authenticationState = authenticationStateTask ?? throw new ArgumentNullException(nameof(authenticationStateTask));

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The persisted value is a JsonElement (built-in converter) written by the source-generated AuthKitClientStateJsonContext.")]
    private async Task PersistAsync()
    {
        if (_options.SessionCheckInterval is { } interval && interval > TimeSpan.Zero)
        {
            var settings = JsonSerializer.SerializeToElement(
                new Dictionary<string, long> { [AuthKitClientSettings.SessionCheckIntervalMs] = (long)interval.TotalMilliseconds },
                AuthKitWebAssemblyJsonContext.Default.DictionaryStringInt64);
            _state.PersistAsJson<JsonElement>(AuthKitClientSettings.PersistenceKey, settings);
        }

        if (_authenticationState is null)
        {
            return;
        }

        var auth = (await _authenticationState.ConfigureAwait(false)).GetAuthResult();
        if (AuthKitClientState.From(auth) is { } clientState)
        {
            _state.PersistAsJson<JsonElement>(AuthKitClientState.PersistenceKey, clientState.ToJson());
        }
    }

    public void Dispose() => _subscription.Dispose();
}

/// <summary>Source-generated JSON for the persisted client settings.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, long>))]
internal sealed partial class AuthKitWebAssemblyJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
