using System.Text.Json;
using AuthKit.Blazor.Components;
using AuthKit.Blazor.Tests.Circuits;
using AuthKit.Session;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Web;

namespace AuthKit.Blazor.Tests.Components;

public sealed class OrganizationSwitcherTests : AuthKitComponentTestContext
{
    public OrganizationSwitcherTests() => SeedMemberships(WorkOS);

    private static void SeedMemberships(FakeWorkOS workOS)
    {
        workOS.AddMembership("user_alice", "org_acme", "Acme Corp", role: "admin");
        workOS.AddMembership("user_alice", "org_globex", "Globex");
        workOS.AddMembership("user_alice", "org_old", "Old Co", status: "inactive");
        workOS.AddMembership("user_charlie", "org_acme", "Acme Corp");
    }

    [Fact]
    public void Lists_the_active_memberships_and_marks_the_current_organization()
    {
        var cut = Render<OrganizationSwitcher>(p => p.AddCascadingValue(StateOf(Alice("org_acme"))));

        var nav = cut.Find("nav");
        Assert.Equal("Organizations", nav.GetAttribute("aria-label"));
        var items = cut.FindAll("li");
        Assert.Equal(["org_acme", "org_globex"], items.Select(i => i.GetAttribute("data-organization-id")));
        var current = cut.Find("li[aria-current=true]");
        Assert.Equal("org_acme", current.GetAttribute("data-organization-id"));
        Assert.Contains("Acme Corp", current.TextContent);
        Assert.Empty(current.QuerySelectorAll("form"));
        Assert.Equal(["user_alice"], WorkOS.MembershipRequests);
    }

    [Fact]
    public void Offers_each_other_organization_as_a_form_post_to_the_switch_endpoint()
    {
        Navigation.NavigateTo("/organizations");

        var cut = Render<OrganizationSwitcher>(p => p.AddCascadingValue(StateOf(Alice("org_acme"))));

        var form = Assert.Single(cut.FindAll("form"));
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("/auth/switch-organization", form.GetAttribute("action"));
        Assert.Equal(FakeAntiforgeryStateProviderToken, form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value"));
        Assert.Equal("org_globex", form.QuerySelector("input[name=organizationId]")!.GetAttribute("value"));
        Assert.Equal("/organizations", form.QuerySelector("input[name=returnPathname]")!.GetAttribute("value"));
        var button = form.QuerySelector("button")!;
        Assert.Equal("submit", button.GetAttribute("type"));
        Assert.Equal("Globex", button.TextContent);
        Assert.Equal("Switch to Globex", button.GetAttribute("aria-label"));
    }

    [Fact]
    public void Uses_the_configured_switch_path_and_an_explicit_return_path()
    {
        SchemeOptions.SwitchOrganizationPath = "/orgs/switch";

        var cut = Render<OrganizationSwitcher>(p => p.AddCascadingValue(StateOf(Alice("org_globex"))).Add(s => s.ReturnPathname, "/account"));

        var form = cut.Find("form");
        Assert.Equal("/orgs/switch", form.GetAttribute("action"));
        Assert.Equal("org_acme", form.QuerySelector("input[name=organizationId]")!.GetAttribute("value"));
        Assert.Equal("/account", form.QuerySelector("input[name=returnPathname]")!.GetAttribute("value"));
    }

    [Fact]
    public void Offers_every_organization_when_the_session_has_none_yet()
    {
        var cut = Render<OrganizationSwitcher>(p => p.AddCascadingValue(StateOf(Alice(organizationId: null))));

        Assert.Equal(2, cut.FindAll("form").Count);
        Assert.Empty(cut.FindAll("[aria-current]"));
    }

    [Fact]
    public void Looks_up_organization_names_the_membership_list_left_out()
    {
        WorkOS.Memberships.Clear();
        WorkOS.AddMembership("user_alice", "org_acme", name: null);
        WorkOS.AddMembership("user_alice", "org_unknown", name: null);
        WorkOS.OrganizationNames["org_acme"] = "Acme Corp";

        var cut = Render<OrganizationSwitcher>(p => p.AddCascadingValue(StateOf(Alice("org_globex"))));

        Assert.Equal(["Acme Corp", "org_unknown"], cut.FindAll("button").Select(b => b.TextContent));
    }

    [Fact]
    public void Shows_an_accessible_error_when_WorkOS_fails()
    {
        WorkOS.Failure = new HttpRequestException("WorkOS is down");

        var cut = Render<OrganizationSwitcher>(p => p.AddCascadingValue(StateOf(Alice())));

        var error = cut.Find(".authkit-org-error");
        Assert.Equal("alert", error.GetAttribute("role"));
        Assert.Empty(cut.FindAll("form"));
    }

    [Fact]
    public void Shows_a_loading_status_until_the_memberships_arrive()
    {
        WorkOS.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var cut = Render<OrganizationSwitcher>(p => p.AddCascadingValue(StateOf(Alice())));

        Assert.Equal("status", cut.Find(".authkit-org-status").GetAttribute("role"));
        Assert.Equal("true", cut.Find("nav").GetAttribute("aria-busy"));

        WorkOS.Gate.SetResult();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("li").Count));
        Assert.Equal("false", cut.Find("nav").GetAttribute("aria-busy"));
    }

    [Fact]
    public void Says_so_when_the_user_has_no_organizations()
    {
        WorkOS.Memberships.Clear();

        var cut = Render<OrganizationSwitcher>(p => p.AddCascadingValue(StateOf(Alice(organizationId: null))));

        Assert.Contains("not a member of any organization", cut.Find(".authkit-org-status").TextContent);
    }

    [Fact]
    public void Renders_nothing_and_calls_no_API_when_signed_out()
    {
        var cut = Render<OrganizationSwitcher>(p => p.AddCascadingValue(Anonymous));

        Assert.Equal(string.Empty, cut.Markup.Trim());
        Assert.Empty(WorkOS.MembershipRequests);
    }

    [Fact]
    public void Lists_the_impersonated_users_memberships()
    {
        var cut = Render<OrganizationSwitcher>(p => p.AddCascadingValue(StateOf(CharlieImpersonated())));

        Assert.Equal(["user_charlie"], WorkOS.MembershipRequests);
        Assert.Equal("org_acme", cut.Find("li[aria-current=true]").GetAttribute("data-organization-id"));
    }

    [Fact]
    public void A_refreshed_session_of_the_same_user_moves_the_marker_without_reloading()
    {
        var cut = Render<CascadingValue<Task<AuthenticationState>>>(p => p
            .Add(c => c.Value, StateOf(Alice("org_acme")))
            .AddChildContent<OrganizationSwitcher>());
        Assert.Equal("org_acme", cut.Find("li[aria-current=true]").GetAttribute("data-organization-id"));

        cut.Render(p => p.Add(c => c.Value, StateOf(Alice("org_globex"))).AddChildContent<OrganizationSwitcher>());

        Assert.Equal("org_globex", cut.Find("li[aria-current=true]").GetAttribute("data-organization-id"));
        Assert.Single(WorkOS.MembershipRequests);
    }

    // Prerendering -> interactive hand-over (PersistentComponentState).

    [Fact]
    public void The_interactive_render_reuses_the_prerendered_list_of_the_same_session_without_asking_WorkOS_again()
    {
        using var prerender = new PrerenderedPage(Alice("org_acme"));
        var persisted = prerender.PersistedList();
        var state = this.AddBunitPersistentComponentState();
        state.Persist(OrganizationSwitcherPersistence.Key, persisted);
        WorkOS.Failure = new HttpRequestException("WorkOS must not be asked again");

        var cut = RenderInteractive(Alice("org_acme"));

        Assert.Equal(["user_alice"], prerender.WorkOS.MembershipRequests);
        Assert.Empty(WorkOS.MembershipRequests);
        Assert.Equal(["org_acme", "org_globex"], cut.FindAll("li").Select(i => i.GetAttribute("data-organization-id")));
        Assert.Equal("org_acme", cut.Find("li[aria-current=true]").GetAttribute("data-organization-id"));
        Assert.Equal("Globex", cut.Find("button").TextContent);
        Assert.Equal("false", cut.Find("nav").GetAttribute("aria-busy"));
    }

    [Theory]
    [InlineData("another user")]
    [InlineData("another session")]
    [InlineData("another organization")]
    public void The_interactive_render_fetches_again_and_ignores_a_list_persisted_for(string other)
    {
        var prerendered = other switch
        {
            "another user" => TestAuth.Create(Now, TimeSpan.FromMinutes(5), userId: "user_charlie", email: "charlie@example.com"),
            "another session" => TestAuth.Create(Now, TimeSpan.FromMinutes(5), sessionId: "session_2"),
            _ => Alice("org_globex"),
        };
        PersistList(prerendered, ("org_stale", "Stale Org"));

        var cut = RenderInteractive(Alice("org_acme"));

        Assert.Equal(["user_alice"], WorkOS.MembershipRequests);
        Assert.Equal(["org_acme", "org_globex"], cut.FindAll("li").Select(i => i.GetAttribute("data-organization-id")));
        Assert.DoesNotContain("Stale Org", cut.Markup);
    }

    [Fact]
    public void The_interactive_render_fetches_once_when_nothing_was_persisted()
    {
        this.AddBunitPersistentComponentState();

        var cut = RenderInteractive(Alice("org_acme"));

        Assert.Equal(["user_alice"], WorkOS.MembershipRequests);
        Assert.Equal(2, cut.FindAll("li").Count);
    }

    [Fact]
    public void The_interactive_render_fetches_again_when_the_persisted_list_cannot_be_read()
    {
        var state = this.AddBunitPersistentComponentState();
        state.Persist(OrganizationSwitcherPersistence.Key, new { scope = OrganizationSwitcherPersistence.ScopeOf(Alice("org_acme")), organizations = new[] { new { id = (string?)null, name = "Broken" } } });

        var cut = RenderInteractive(Alice("org_acme"));

        Assert.Equal(["user_alice"], WorkOS.MembershipRequests);
        Assert.DoesNotContain("Broken", cut.Markup);
    }

    [Fact]
    public void After_reusing_the_prerendered_list_a_change_of_user_still_loads_the_new_users_list()
    {
        PersistList(Alice("org_acme"), ("org_acme", "Acme Corp"), ("org_globex", "Globex"));
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var cut = Render<CascadingValue<Task<AuthenticationState>>>(p => p
            .Add(c => c.Value, StateOf(Alice("org_acme")))
            .AddChildContent<OrganizationSwitcher>()
            .SetAssignedRenderMode(RenderMode.InteractiveServer));
        Assert.Empty(WorkOS.MembershipRequests);

        cut.Render(p => p.Add(c => c.Value, StateOf(Alice("org_globex"))).AddChildContent<OrganizationSwitcher>());
        Assert.Empty(WorkOS.MembershipRequests);
        Assert.Equal("org_globex", cut.Find("li[aria-current=true]").GetAttribute("data-organization-id"));

        cut.Render(p => p.Add(c => c.Value, StateOf(CharlieImpersonated())).AddChildContent<OrganizationSwitcher>());

        Assert.Equal(["user_charlie"], WorkOS.MembershipRequests);
        Assert.Equal(["org_acme"], cut.FindAll("li").Select(i => i.GetAttribute("data-organization-id")));
    }

    [Fact]
    public void Prerendering_persists_only_the_rendered_organizations_and_a_scope_hash_for_the_interactive_render()
    {
        var alice = Alice("org_acme");
        var state = this.AddBunitPersistentComponentState();
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        Render<OrganizationSwitcher>(p => p.AddCascadingValue(StateOf(alice)).SetAssignedRenderMode(RenderMode.InteractiveServer));

        state.TriggerOnPersisting();

        Assert.True(state.TryTake<JsonElement>(OrganizationSwitcherPersistence.Key, out var persisted));
        Assert.Equal(["organizations", "scope"], persisted.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(OrganizationSwitcherPersistence.ScopeOf(alice), persisted.GetProperty("scope").GetString());
        var organizations = persisted.GetProperty("organizations").EnumerateArray().ToList();
        Assert.Equal(["org_acme", "org_globex"], organizations.Select(o => o.GetProperty("id").GetString()));
        Assert.Equal(["Acme Corp", "Globex"], organizations.Select(o => o.GetProperty("name").GetString()));
        Assert.All(organizations, o => Assert.Equal(["id", "name"], o.EnumerateObject().Select(p => p.Name)));
        var json = persisted.GetRawText();
        Assert.DoesNotContain(alice.AccessToken!, json, StringComparison.Ordinal);
        Assert.DoesNotContain(alice.RefreshToken!, json, StringComparison.Ordinal);
        Assert.DoesNotContain(alice.SessionId!, json, StringComparison.Ordinal);
        Assert.DoesNotContain(alice.User!.Id, json, StringComparison.Ordinal);
        Assert.DoesNotContain(alice.User.Email, json, StringComparison.Ordinal);
        Assert.Equal(["user_alice"], WorkOS.MembershipRequests);
    }

    [Fact]
    public void Two_switchers_on_one_prerendered_page_persist_the_list_once_without_breaking_the_pages_state()
    {
        var state = this.AddBunitPersistentComponentState();
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        Render<CascadingValue<Task<AuthenticationState>>>(p => p
            .Add(c => c.Value, StateOf(Alice("org_acme")))
            .AddChildContent(b =>
            {
                b.OpenComponent<OrganizationSwitcher>(0);
                b.CloseComponent();
                b.OpenComponent<OrganizationSwitcher>(1);
                b.CloseComponent();
            })
            .SetAssignedRenderMode(RenderMode.InteractiveServer));

        state.TriggerOnPersisting();

        Assert.True(state.TryTake<JsonElement>(OrganizationSwitcherPersistence.Key, out var persisted));
        Assert.Equal(2, persisted.GetProperty("organizations").GetArrayLength());
    }

    [Fact]
    public void A_failed_prerender_load_persists_nothing_so_the_interactive_render_tries_again()
    {
        var state = this.AddBunitPersistentComponentState();
        WorkOS.Failure = new HttpRequestException("WorkOS is down");
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        Render<OrganizationSwitcher>(p => p.AddCascadingValue(StateOf(Alice())).SetAssignedRenderMode(RenderMode.InteractiveServer));

        state.TriggerOnPersisting();

        Assert.False(state.TryTake<JsonElement>(OrganizationSwitcherPersistence.Key, out _));
    }

    [Fact]
    public void Static_rendering_without_interactivity_persists_nothing()
    {
        var state = this.AddBunitPersistentComponentState();
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        var cut = Render<OrganizationSwitcher>(p => p.AddCascadingValue(StateOf(Alice())));

        state.TriggerOnPersisting();

        Assert.Equal(2, cut.FindAll("li").Count);
        Assert.Equal(["user_alice"], WorkOS.MembershipRequests);
        Assert.False(state.TryTake<JsonElement>(OrganizationSwitcherPersistence.Key, out _));
    }

    private IRenderedComponent<OrganizationSwitcher> RenderInteractive(AuthResult auth)
    {
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return Render<OrganizationSwitcher>(p => p.AddCascadingValue(StateOf(auth)).SetAssignedRenderMode(RenderMode.InteractiveServer));
    }

    /// <summary>Puts a list into this context's persisted state as a prerender of <paramref name="owner"/> would.</summary>
    private void PersistList(AuthResult owner, params (string Id, string Name)[] organizations)
    {
        var value = new PersistedOrganizations(
            OrganizationSwitcherPersistence.ScopeOf(owner),
            [.. organizations.Select(o => new SwitcherOrganization(o.Id, o.Name))]);
        this.AddBunitPersistentComponentState().Persist(
            OrganizationSwitcherPersistence.Key,
            JsonSerializer.SerializeToElement(value, OrganizationSwitcherJsonContext.Default.PersistedOrganizations));
    }

    /// <summary>A page prerendered on the server (its own services and WorkOS) for one user.</summary>
    private sealed class PrerenderedPage : AuthKitComponentTestContext
    {
        private readonly Bunit.TestDoubles.BunitPersistentComponentState _state;

        public PrerenderedPage(AuthResult auth)
        {
            SeedMemberships(WorkOS);
            _state = this.AddBunitPersistentComponentState();
            SetRendererInfo(new RendererInfo("Static", isInteractive: false));
            Render<OrganizationSwitcher>(p => p.AddCascadingValue(StateOf(auth)).SetAssignedRenderMode(RenderMode.InteractiveServer));
        }

        /// <summary>Runs the page's persisting callbacks and returns what the switcher wrote.</summary>
        public JsonElement PersistedList()
        {
            _state.TriggerOnPersisting();
            Assert.True(_state.TryTake<JsonElement>(OrganizationSwitcherPersistence.Key, out var persisted));
            return persisted;
        }
    }

    private const string FakeAntiforgeryStateProviderToken = Circuits.FakeAntiforgeryStateProvider.Token;
}
