using AuthKit.Blazor.Components;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace AuthKit.Blazor.Tests.Components;

public sealed class OrganizationSwitcherTests : AuthKitComponentTestContext
{
    public OrganizationSwitcherTests()
    {
        WorkOS.AddMembership("user_alice", "org_acme", "Acme Corp", role: "admin");
        WorkOS.AddMembership("user_alice", "org_globex", "Globex");
        WorkOS.AddMembership("user_alice", "org_old", "Old Co", status: "inactive");
        WorkOS.AddMembership("user_charlie", "org_acme", "Acme Corp");
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
        BlazorOptions.SwitchOrganizationPath = "/orgs/switch";

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

    private const string FakeAntiforgeryStateProviderToken = Circuits.FakeAntiforgeryStateProvider.Token;
}
