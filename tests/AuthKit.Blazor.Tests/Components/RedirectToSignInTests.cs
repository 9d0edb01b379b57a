using Microsoft.AspNetCore.Components.Authorization;
using AuthKit.Session;
using AuthKit.Blazor.Components;
using Bunit;
using Microsoft.AspNetCore.Components;

namespace AuthKit.Blazor.Tests.Components;

public sealed class RedirectToSignInTests : AuthKitComponentTestContext
{
    [Fact]
    public void Sends_a_signed_out_visitor_to_sign_in_with_a_full_page_load_returning_to_the_current_page()
    {
        Navigation.NavigateTo("/account?tab=keys");

        Render<RedirectToSignIn>(p => p.AddCascadingValue(Anonymous));

        var navigation = Navigation.History.First();
        Assert.Equal("/auth/sign-in?returnPathname=%2Faccount%3Ftab%3Dkeys", navigation.Uri);
        Assert.True(navigation.Options.ForceLoad);
    }

    [Fact]
    public void Uses_the_configured_sign_in_path_and_an_explicit_return_path()
    {
        SchemeOptions.SignInPath = "/login";

        Render<RedirectToSignIn>(p => p.AddCascadingValue(Anonymous).Add(r => r.ReturnPathname, "/dashboard"));

        Assert.Equal("/login?returnPathname=%2Fdashboard", Navigation.History.First().Uri);
    }

    [Fact]
    public void Shows_access_denied_instead_of_looping_when_the_user_is_signed_in()
    {
        Navigation.NavigateTo("/admin");
        var before = Navigation.History.Count;

        var cut = Render<RedirectToSignIn>(p => p.AddCascadingValue(StateOf(Alice())));

        Assert.Equal(before, Navigation.History.Count);
        Assert.Equal("http://localhost/admin", Navigation.Uri);
        var denied = cut.Find(".authkit-access-denied");
        Assert.Equal("alert", denied.GetAttribute("role"));
        Assert.Contains("You do not have access to this page.", denied.TextContent);
    }

    [Fact]
    public void Shows_access_denied_to_an_impersonated_session_as_well()
    {
        Navigation.NavigateTo("/admin");
        var before = Navigation.History.Count;

        var cut = Render<RedirectToSignIn>(p => p.AddCascadingValue(StateOf(CharlieImpersonated())));

        Assert.Equal(before, Navigation.History.Count);
        Assert.NotNull(cut.Find(".authkit-access-denied"));
    }

    [Fact]
    public void Shows_custom_access_denied_content()
    {
        var cut = Render<RedirectToSignIn>(p => p
            .AddCascadingValue(StateOf(Alice()))
            .AddChildContent("<h1>Admins only</h1>"));

        Assert.Equal("Admins only", cut.Find("h1").TextContent);
        Assert.Empty(cut.FindAll(".authkit-access-denied"));
    }

    [Fact]
    public void Sends_the_user_to_sign_in_when_the_session_ends_while_access_denied_is_shown()
    {
        Navigation.NavigateTo("/admin");
        var host = RenderWithState(StateOf(Alice()));
        Assert.NotNull(host.Find(".authkit-access-denied"));
        var before = Navigation.History.Count;

        host.Render(p => p.Add(c => c.Value, Anonymous));

        Assert.Equal(before + 1, Navigation.History.Count);
        var navigation = Navigation.History.First();
        Assert.Equal("/auth/sign-in?returnPathname=%2Fadmin", navigation.Uri);
        Assert.True(navigation.Options.ForceLoad);
        Assert.Empty(host.FindAll(".authkit-access-denied"));
    }

    [Fact]
    public void Redirects_only_once_when_the_anonymous_state_is_cascaded_again()
    {
        Navigation.NavigateTo("/account");
        var host = RenderWithState(Anonymous);
        var after = Navigation.History.Count;

        host.Render(p => p.Add(c => c.Value, StateOf(AuthResult.Anonymous)));

        Assert.Equal(after, Navigation.History.Count);
    }

    private IRenderedComponent<CascadingValue<Task<AuthenticationState>>> RenderWithState(Task<AuthenticationState> state) =>
        Render<CascadingValue<Task<AuthenticationState>>>(p => p
            .Add(c => c.Value, state)
            .AddChildContent<RedirectToSignIn>());
}
