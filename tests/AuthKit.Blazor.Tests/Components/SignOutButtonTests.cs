using AuthKit.Blazor.Components;
using AuthKit.Blazor.Tests.Circuits;
using Bunit;

namespace AuthKit.Blazor.Tests.Components;

public sealed class SignOutButtonTests : AuthKitComponentTestContext
{
    [Fact]
    public void Is_a_form_post_to_the_sign_out_endpoint_with_an_antiforgery_token()
    {
        var cut = Render<SignOutButton>(p => p.AddCascadingValue(StateOf(Alice())));

        var form = cut.Find("form");
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("/auth/sign-out", form.GetAttribute("action"));
        var token = cut.Find("input[name=__RequestVerificationToken]");
        Assert.Equal("hidden", token.GetAttribute("type"));
        Assert.Equal(FakeAntiforgeryStateProvider.Token, token.GetAttribute("value"));
        var button = cut.Find("button");
        Assert.Equal("submit", button.GetAttribute("type"));
        Assert.Equal("Sign out", button.TextContent);
    }

    [Fact]
    public void Sends_returnTo_only_when_given()
    {
        var without = Render<SignOutButton>(p => p.AddCascadingValue(StateOf(Alice())));
        var with = Render<SignOutButton>(p => p.AddCascadingValue(StateOf(Alice())).Add(b => b.ReturnTo, "/goodbye"));

        Assert.Empty(without.FindAll("input[name=returnTo]"));
        Assert.Equal("/goodbye", with.Find("input[name=returnTo]").GetAttribute("value"));
    }

    [Fact]
    public void Uses_the_configured_sign_out_path()
    {
        SchemeOptions.SignOutPath = "/logout";

        var cut = Render<SignOutButton>(p => p.AddCascadingValue(StateOf(CharlieImpersonated())));

        Assert.Equal("/logout", cut.Find("form").GetAttribute("action"));
    }

    [Fact]
    public void Renders_for_anonymous_visitors_too_because_the_endpoint_handles_them()
    {
        var cut = Render<SignOutButton>(p => p.AddCascadingValue(Anonymous));

        Assert.Equal("/auth/sign-out", cut.Find("form").GetAttribute("action"));
    }

    [Fact]
    public void Accepts_custom_content_and_classes()
    {
        var cut = Render<SignOutButton>(p => p
            .Add(b => b.Class, "btn-link")
            .Add(b => b.FormClass, "d-inline")
            .AddChildContent("Log out"));

        Assert.Equal("authkit-button authkit-sign-out btn-link", cut.Find("button").GetAttribute("class"));
        Assert.Equal("authkit-form authkit-sign-out-form d-inline", cut.Find("form").GetAttribute("class"));
        Assert.Equal("Log out", cut.Find("button").TextContent);
    }
}
