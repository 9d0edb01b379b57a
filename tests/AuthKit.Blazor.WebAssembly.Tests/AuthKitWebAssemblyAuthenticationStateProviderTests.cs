using System.Net;
using System.Text.Json;
using AuthKit.Blazor.Internal;
using AuthKit.Blazor.WebAssembly.Internal;
using AuthKit.Blazor.WebAssembly.Tests.TestSupport;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.JSInterop;

namespace AuthKit.Blazor.WebAssembly.Tests;

public sealed class AuthKitWebAssemblyAuthenticationStateProviderTests : BunitContext
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeSessionEndpoint _endpoint = new();
    private readonly BunitPersistentComponentState _persisted;
    private readonly BunitJSModuleInterop _module;
    private bool _checkWhenVisible = true;

    public AuthKitWebAssemblyAuthenticationStateProviderTests()
    {
        _persisted = AddBunitPersistentComponentState();
        Services.AddAuthKitWebAssembly(o =>
        {
            o.SessionCheckInterval = Interval;
            o.CheckWhenVisible = _checkWhenVisible;
        });
        Services.AddSingleton<TimeProvider>(_time);
        // bUnit registers placeholders (authorization service, state provider) that AddAuthKitWebAssembly()'s TryAdds leave alone.
        Services.AddTransient<IAuthorizationService, DefaultAuthorizationService>();
        Services.AddTransient<IAuthorizationPolicyProvider, DefaultAuthorizationPolicyProvider>();
        // bUnit registers a placeholder provider that AddAuthKitWebAssembly() leaves alone (the app's own wins).
        Services.AddScoped<AuthenticationStateProvider>(sp => sp.GetRequiredService<AuthKitWebAssemblyAuthenticationStateProvider>());
        Services.AddHttpClient<AuthKitSessionClient>().ConfigurePrimaryHttpMessageHandler(() => _endpoint);
        _module = JSInterop.SetupModule(AuthKitWebAssemblyAuthenticationStateProvider.ModulePath);
        _module.SetupModule("observeVisibility", _ => true).Mode = JSRuntimeMode.Loose;
    }

    private AuthKitWebAssemblyAuthenticationStateProvider Provider => Services.GetRequiredService<AuthKitWebAssemblyAuthenticationStateProvider>();

    private void PersistAliceSession(params string[] permissions) =>
        _persisted.Persist(AuthKitClientState.PersistenceKey, FakeSessionEndpoint.StateElement(permissions: permissions));

    private static Task<AuthenticationState> NextChange(AuthenticationStateProvider provider)
    {
        var changed = new TaskCompletionSource<AuthenticationState>(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.AuthenticationStateChanged += async task => changed.TrySetResult(await task);
        return changed.Task;
    }

    [Fact]
    public async Task Starts_signed_in_from_the_state_the_server_persisted_with_every_field_and_no_tokens()
    {
        PersistAliceSession("reports:read", "reports:write");

        var state = await Services.GetRequiredService<AuthenticationStateProvider>().GetAuthenticationStateAsync();
        var auth = state.GetAuthResult();

        Assert.IsType<AuthKitAuthenticationState>(state);
        Assert.True(auth.IsAuthenticated);
        Assert.Equal("user_alice", auth.User.Id);
        Assert.Equal("alice@example.com", auth.User.Email);
        Assert.Equal("session_1", auth.SessionId);
        Assert.Equal("org_acme", auth.OrganizationId);
        Assert.Equal("admin", auth.Role);
        Assert.Equal(["reports:read", "reports:write"], auth.Permissions);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(4_102_444_800), auth.AccessTokenExpiresAt);
        Assert.Equal(string.Empty, auth.AccessToken);
        Assert.Equal(string.Empty, auth.RefreshToken);
        Assert.True(state.User.IsInRole("admin"));
        Assert.Equal("Alice", state.User.Identity?.Name);
        Assert.Equal("reports:write", state.User.FindAll(AuthKitClaimTypes.Permission).Last().Value);
    }

    [Fact]
    public async Task Starts_anonymous_without_persisted_state_or_with_an_unusable_one()
    {
        Assert.False((await Provider.GetAuthenticationStateAsync()).GetAuthResult().IsAuthenticated);

        using var other = new BunitContext();
        var persisted = other.AddBunitPersistentComponentState();
        other.Services.AddAuthKitWebAssembly();
        other.Services.AddScoped<AuthenticationStateProvider>(sp => sp.GetRequiredService<AuthKitWebAssemblyAuthenticationStateProvider>());
        persisted.Persist(AuthKitClientState.PersistenceKey, JsonSerializer.SerializeToElement(new { user = new { id = "" }, claims = 3 }));
        other.JSInterop.Mode = JSRuntimeMode.Loose;
        var state = await other.Services.GetRequiredService<AuthenticationStateProvider>().GetAuthenticationStateAsync();
        Assert.False(state.GetAuthResult().IsAuthenticated);
        Assert.False(state.User.Identity?.IsAuthenticated);
    }

    [Fact]
    public async Task Checks_the_same_origin_session_endpoint_once_per_interval_and_not_before()
    {
        PersistAliceSession();
        await Provider.GetAuthenticationStateAsync();

        _time.Advance(Interval - TimeSpan.FromSeconds(1));
        Assert.Empty(_endpoint.Requests);

        var first = _endpoint.NextRequest;
        _time.Advance(TimeSpan.FromSeconds(1));
        await first.WaitAsync(Wait);

        var second = _endpoint.NextRequest;
        _time.Advance(Interval);
        await second.WaitAsync(Wait);

        Assert.Equal(2, _endpoint.Requests.Count);
        var request = _endpoint.Requests[0];
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(new Uri("http://localhost/auth/session"), request.RequestUri);
        Assert.Equal("state", Assert.Single(request.Headers.GetValues(AuthKitDefaults.SessionRequestHeader)));
    }

    [Fact]
    public async Task An_ended_session_turns_the_state_anonymous_at_the_next_check()
    {
        PersistAliceSession();
        var provider = Provider;
        Assert.True((await provider.GetAuthenticationStateAsync()).GetAuthResult().IsAuthenticated);
        var changed = NextChange(provider);
        _endpoint.Answer = (HttpStatusCode.OK, FakeSessionEndpoint.SignedOut());

        _time.Advance(Interval);

        var state = await changed.WaitAsync(Wait);
        Assert.False(state.GetAuthResult().IsAuthenticated);
        Assert.False(state.User.Identity?.IsAuthenticated);
        Assert.False((await provider.GetAuthenticationStateAsync()).GetAuthResult().IsAuthenticated);
    }

    [Fact]
    public async Task A_refreshed_or_switched_session_replaces_the_state()
    {
        PersistAliceSession();
        var provider = Provider;
        await provider.GetAuthenticationStateAsync();
        var changed = NextChange(provider);
        _endpoint.Answer = (HttpStatusCode.OK, FakeSessionEndpoint.SignedIn(organizationId: "org_globex", exp: 4_102_445_000, role: "member"));

        await provider.CheckSessionAsync();

        var auth = (await changed.WaitAsync(Wait)).GetAuthResult();
        Assert.Equal("org_globex", auth.OrganizationId);
        Assert.Equal("member", auth.Role);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(4_102_445_000), auth.AccessTokenExpiresAt);
    }

    [Fact]
    public async Task The_same_session_again_publishes_nothing()
    {
        PersistAliceSession();
        var provider = Provider;
        var before = await provider.GetAuthenticationStateAsync();
        var notifications = 0;
        provider.AuthenticationStateChanged += _ => notifications++;

        await provider.CheckSessionAsync();

        Assert.Single(_endpoint.Requests);
        Assert.Equal(0, notifications);
        Assert.Same(before, await provider.GetAuthenticationStateAsync());
    }

    [Theory]
    [InlineData("offline")]
    [InlineData("500")]
    [InlineData("401")]
    [InlineData("garbage")]
    [InlineData("no-state")]
    public async Task A_check_without_a_usable_answer_keeps_the_signed_in_state(string failure)
    {
        PersistAliceSession();
        var provider = Provider;
        await provider.GetAuthenticationStateAsync();
        var notifications = 0;
        provider.AuthenticationStateChanged += _ => notifications++;
        switch (failure)
        {
            case "offline": _endpoint.Offline = true; break;
            case "500": _endpoint.Answer = (HttpStatusCode.InternalServerError, "{}"); break;
            case "401": _endpoint.Answer = (HttpStatusCode.Unauthorized, """{"error":"unauthenticated"}"""); break;
            case "garbage": _endpoint.Answer = (HttpStatusCode.OK, "<html>"); break;
            case "no-state": _endpoint.Answer = (HttpStatusCode.OK, """{"authenticated":true,"sessionId":"session_1"}"""); break;
        }

        await provider.CheckSessionAsync();

        Assert.Single(_endpoint.Requests);
        Assert.Equal(0, notifications);
        Assert.True((await provider.GetAuthenticationStateAsync()).GetAuthResult().IsAuthenticated);
    }

    [Fact]
    public async Task Becoming_visible_checks_at_once_without_waiting_for_the_interval()
    {
        PersistAliceSession();
        var provider = Provider;
        await provider.GetAuthenticationStateAsync();
        var invocation = Assert.Single(_module.Invocations["observeVisibility"]);
        var callback = Assert.IsType<DotNetObjectReference<VisibilityCallback>>(invocation.Arguments[0]);
        var changed = NextChange(provider);
        _endpoint.Answer = (HttpStatusCode.OK, FakeSessionEndpoint.SignedOut());

        await callback.Value.OnVisibleAsync();

        Assert.Single(_endpoint.Requests);
        Assert.False((await changed.WaitAsync(Wait)).GetAuthResult().IsAuthenticated);
    }

    [Fact]
    public async Task The_visibility_check_can_be_turned_off()
    {
        _checkWhenVisible = false;
        PersistAliceSession();

        await Provider.GetAuthenticationStateAsync();

        Assert.Empty(_module.Invocations["observeVisibility"]);
    }

    [Fact]
    public async Task An_interval_handed_over_by_the_server_wins_over_the_client_setting()
    {
        PersistAliceSession();
        _persisted.Persist(AuthKitClientSettings.PersistenceKey, JsonSerializer.SerializeToElement(new Dictionary<string, long> { [AuthKitClientSettings.SessionCheckIntervalMs] = 2000 }));
        await Provider.GetAuthenticationStateAsync();
        var first = _endpoint.NextRequest;

        _time.Advance(TimeSpan.FromSeconds(2));

        await first.WaitAsync(Wait);
        Assert.Single(_endpoint.Requests);
    }

    [Fact]
    public async Task After_dispose_no_more_checks_run()
    {
        PersistAliceSession();
        var provider = Provider;
        await provider.GetAuthenticationStateAsync();

        await provider.DisposeAsync();
        _time.Advance(Interval * 3);

        Assert.Empty(_endpoint.Requests);
    }

    [Fact]
    public void An_authorize_view_shows_the_user_then_sends_an_ended_session_to_sign_in()
    {
        PersistAliceSession();
        var cut = Render<SessionProbe>();
        cut.WaitForAssertion(() => cut.Find("p.who").MarkupMatches("<p class=\"who\">Hello alice@example.com in org_acme</p>"));
        _endpoint.Answer = (HttpStatusCode.OK, FakeSessionEndpoint.SignedOut());

        _time.Advance(Interval);

        var navigation = Services.GetRequiredService<BunitNavigationManager>();
        cut.WaitForAssertion(() => Assert.Equal("http://localhost/auth/sign-in?returnPathname=%2F", navigation.Uri), Wait);
        Assert.Empty(cut.FindAll("p.who"));
    }
}
