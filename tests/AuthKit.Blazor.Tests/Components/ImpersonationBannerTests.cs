using AuthKit.Blazor.Components;
using Bunit;

namespace AuthKit.Blazor.Tests.Components;

public sealed class ImpersonationBannerTests : AuthKitComponentTestContext
{
    [Fact]
    public void Shows_who_is_impersonated_by_whom_and_why()
    {
        var cut = Render<ImpersonationBanner>(p => p.AddCascadingValue(StateOf(CharlieImpersonated("Investigating ticket #42"))));

        var banner = cut.Find(".authkit-impersonation-banner");
        Assert.Equal("region", banner.GetAttribute("role"));
        Assert.Equal("Impersonation", banner.GetAttribute("aria-label"));
        Assert.Contains("charlie@example.com", cut.Find(".authkit-impersonation-user").TextContent);
        Assert.Equal("support@example.com", cut.Find(".authkit-impersonation-impersonator").TextContent);
        Assert.Equal("Reason: Investigating ticket #42", cut.Find(".authkit-impersonation-reason").TextContent);
    }

    [Fact]
    public void Offers_stopping_as_a_sign_out_form_post()
    {
        var cut = Render<ImpersonationBanner>(p => p.AddCascadingValue(StateOf(CharlieImpersonated())).Add(b => b.ReturnTo, "/"));

        var form = cut.Find("form");
        Assert.Equal("/auth/sign-out", form.GetAttribute("action"));
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.NotNull(cut.Find("input[name=__RequestVerificationToken]"));
        Assert.Equal("/", cut.Find("input[name=returnTo]").GetAttribute("value"));
        Assert.Equal("Stop impersonating", cut.Find("button").TextContent);
    }

    [Fact]
    public void Leaves_out_the_reason_when_none_was_given()
    {
        var cut = Render<ImpersonationBanner>(p => p.AddCascadingValue(StateOf(CharlieImpersonated(reason: null))));

        Assert.NotNull(cut.Find(".authkit-impersonation-banner"));
        Assert.Empty(cut.FindAll(".authkit-impersonation-reason"));
    }

    [Fact]
    public void Renders_nothing_for_a_user_who_is_not_impersonated()
    {
        var cut = Render<ImpersonationBanner>(p => p.AddCascadingValue(StateOf(Alice())));

        Assert.Equal(string.Empty, cut.Markup.Trim());
    }

    [Fact]
    public void Renders_nothing_when_signed_out()
    {
        var cut = Render<ImpersonationBanner>(p => p.AddCascadingValue(Anonymous));

        Assert.Equal(string.Empty, cut.Markup.Trim());
    }

    [Fact]
    public void Renders_nothing_without_a_cascaded_authentication_state()
    {
        var cut = Render<ImpersonationBanner>();

        Assert.Equal(string.Empty, cut.Markup.Trim());
    }
}
