using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AuthKit.Blazor.Components;
using AuthKit.Session;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AuthKit.Blazor.Tests.Components;

/// <summary>
/// <see cref="OrganizationSwitcher"/> prerendered by the real Razor Components endpoint renderer (TestServer): what it
/// writes into the page's persisted component state for the interactive render. The circuit side is covered by the
/// bUnit tests in <see cref="OrganizationSwitcherTests"/>.
/// </summary>
public sealed partial class OrganizationSwitcherPrerenderingTests : IAsyncLifetime
{
    private static readonly AuthResult Alice = AuthKitComponentTestContext.Alice("org_acme");

    private readonly FakeWorkOS _workOS = new();
    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        _workOS.AddMembership("user_alice", "org_acme", "Acme Corp", role: "admin");
        _workOS.AddMembership("user_alice", "org_globex", "Globex");

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<AuthenticationStateProvider, SignedInAlice>();
        builder.Services.AddSingleton<IWorkOSUserManagement>(_workOS);

        _app = builder.Build();
        _app.UseAntiforgery();
        _app.MapRazorComponents<PrerenderHostPage>().AddInteractiveServerRenderMode();
        await _app.StartAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_prerendered_switcher_in_an_interactive_island_persists_its_list_and_scope_only()
    {
        var (html, state) = await GetPageAsync("/interactive-switcher");

        Assert.Contains("data-organization-id=\"org_globex\"", html, StringComparison.Ordinal);
        Assert.True(state.TryGetValue(OrganizationSwitcherPersistence.Key, out var persisted), "the switcher's list was not persisted");
        var json = Encoding.UTF8.GetString(persisted);
        var expected = $$"""{"scope":"{{OrganizationSwitcherPersistence.ScopeOf(Alice)}}","organizations":[{"id":"org_acme","name":"Acme Corp"},{"id":"org_globex","name":"Globex"}]}""";
        Assert.Equal(expected, json);
        Assert.Equal(["user_alice"], _workOS.MembershipRequests);
    }

    [Fact]
    public async Task A_static_switcher_persists_nothing_even_next_to_an_interactive_island()
    {
        var (html, state) = await GetPageAsync("/static-switcher");

        Assert.Contains("data-organization-id=\"org_globex\"", html, StringComparison.Ordinal);
        Assert.NotEmpty(state);
        Assert.DoesNotContain(OrganizationSwitcherPersistence.Key, state.Keys);
    }

    /// <summary>GETs a page and decodes its <c>Blazor-Server-Component-State</c> (protected by the host's data protection).</summary>
    private async Task<(string Html, Dictionary<string, byte[]> State)> GetPageAsync(string path)
    {
        var html = await _app.GetTestClient().GetStringAsync(path);
        var match = PersistedStateComment().Match(html);
        Assert.True(match.Success, "the page carries no persisted component state");

        // The purpose ASP.NET Core's server state store protects the persisted state with.
        var protector = _app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Microsoft.AspNetCore.Components.Server.State");
        var state = JsonSerializer.Deserialize<Dictionary<string, byte[]>>(protector.Unprotect(Convert.FromBase64String(match.Groups[1].Value)))!;
        return (html, state);
    }

    [GeneratedRegex("<!--Blazor-Server-Component-State:(.*?)-->")]
    private static partial Regex PersistedStateComment();

    private sealed class SignedInAlice : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult<AuthenticationState>(new AuthKitAuthenticationState(Alice));
    }
}
