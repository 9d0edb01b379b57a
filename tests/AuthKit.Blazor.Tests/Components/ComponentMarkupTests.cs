using AuthKit.Blazor.Components;
using AuthKit.Blazor.Tests.Circuits;
using Bunit;

namespace AuthKit.Blazor.Tests.Components;

/// <summary>The components' whole markup (elements, classes, attributes, text), compared semantically with bUnit's <c>MarkupMatches</c>.</summary>
public sealed class ComponentMarkupTests : AuthKitComponentTestContext
{
    [Fact]
    public void The_sign_in_button_is_a_full_page_link_to_the_sign_in_endpoint()
    {
        Navigation.NavigateTo("/account");

        var cut = Render<SignInButton>(p => p.AddCascadingValue(Anonymous));

        cut.MarkupMatches("""<a href="/auth/sign-in?returnPathname=%2Faccount" class="authkit-button authkit-sign-in" data-enhance-nav="false">Sign in</a>""");
    }

    [Fact]
    public void The_sign_up_button_carries_its_options_classes_and_extra_attributes()
    {
        Navigation.NavigateTo("/");

        var cut = Render<SignUpButton>(p => p
            .Add(b => b.ReturnPathname, "/welcome")
            .Add(b => b.LoginHint, "new@example.com")
            .Add(b => b.Class, "primary")
            .AddUnmatched("id", "join")
            .AddChildContent("Create an account"));

        cut.MarkupMatches("""
            <a href="/auth/sign-up?returnPathname=%2Fwelcome&amp;loginHint=new@example.com" class="authkit-button authkit-sign-up primary"
               data-enhance-nav="false" id="join">Create an account</a>
            """);
    }

    [Fact]
    public void The_sign_out_button_is_a_post_form_with_the_antiforgery_token_and_the_return_path()
    {
        var cut = Render<SignOutButton>(p => p.Add(b => b.ReturnTo, "/goodbye"));

        cut.MarkupMatches($"""
            <form method="post" action="/auth/sign-out" class="authkit-form authkit-sign-out-form">
              <input type="hidden" name="__RequestVerificationToken" value="{FakeAntiforgeryStateProvider.Token}">
              <input type="hidden" name="returnTo" value="/goodbye">
              <button type="submit" class="authkit-button authkit-sign-out">Sign out</button>
            </form>
            """);
    }

    [Fact]
    public void The_impersonation_banner_names_both_people_the_reason_and_offers_to_stop()
    {
        var cut = Render<ImpersonationBanner>(p => p.AddCascadingValue(StateOf(CharlieImpersonated())));

        cut.MarkupMatches($"""
            <div class="authkit-impersonation-banner" role="region" aria-label="Impersonation">
              <p class="authkit-impersonation-text">
                You are signed in as <strong class="authkit-impersonation-user">Alice Example (charlie@example.com)</strong>,
                impersonated by <strong class="authkit-impersonation-impersonator">support@example.com</strong>.
                <span class="authkit-impersonation-reason">Reason: Investigating ticket #42</span>
              </p>
              <form method="post" action="/auth/sign-out" class="authkit-form authkit-sign-out-form authkit-impersonation-stop-form">
                <input type="hidden" name="__RequestVerificationToken" value="{FakeAntiforgeryStateProvider.Token}">
                <button type="submit" class="authkit-button authkit-sign-out authkit-impersonation-stop">Stop impersonating</button>
              </form>
            </div>
            """);
    }

    [Fact]
    public void Nothing_is_rendered_for_a_user_who_is_not_impersonated()
    {
        var cut = Render<ImpersonationBanner>(p => p.AddCascadingValue(StateOf(Alice())));

        cut.MarkupMatches(string.Empty);
    }
}
