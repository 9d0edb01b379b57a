using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using AuthKit.Blazor.Components;
using Microsoft.AspNetCore.WebUtilities;

namespace AuthKit.Blazor.Tests.Components;

public sealed class SignInButtonTests : AuthKitComponentTestContext
{
    [Fact]
    public void Links_to_the_sign_in_endpoint_returning_to_the_current_page()
    {
        Navigation.NavigateTo("/account?tab=2");

        var cut = Render<SignInButton>(p => p.AddCascadingValue(Anonymous));

        var link = cut.Find("a");
        Assert.Equal("/auth/sign-in?returnPathname=%2Faccount%3Ftab%3D2", link.GetAttribute("href"));
        Assert.Equal("Sign in", link.TextContent);
        Assert.Equal("authkit-button authkit-sign-in", link.GetAttribute("class"));
    }

    [Fact]
    public void Is_a_full_page_navigation_so_the_redirect_to_WorkOS_is_followed()
    {
        var cut = Render<SignInButton>();

        Assert.Equal("false", cut.Find("a").GetAttribute("data-enhance-nav"));
    }

    [Fact]
    public void Passes_organization_login_hint_and_an_explicit_return_path()
    {
        var cut = Render<SignInButton>(p => p
            .Add(b => b.OrganizationId, "org_acme")
            .Add(b => b.LoginHint, "alice@example.com")
            .Add(b => b.ReturnPathname, "/admin"));

        var href = cut.Find("a").GetAttribute("href")!;
        Assert.StartsWith("/auth/sign-in?", href);
        var query = QueryHelpers.ParseQuery(href[href.IndexOf('?')..]);
        Assert.Equal("/admin", query["returnPathname"]);
        Assert.Equal("org_acme", query["organizationId"]);
        Assert.Equal("alice@example.com", query["loginHint"]);
    }

    [Fact]
    public void Passes_every_authorization_option_to_the_endpoint()
    {
        var cut = Render<SignInButton>(p => p
            .Add(b => b.Provider, "GoogleOAuth")
            .Add(b => b.ConnectionId, "conn_123")
            .Add(b => b.DomainHint, "example.com")
            .Add(b => b.InvitationToken, "inv_456")
            .Add(b => b.Prompt, "login")
            .Add(b => b.MaxAge, TimeSpan.FromMinutes(5))
            .Add(b => b.State, "cart-42")
            .Add(b => b.RedirectUri, "https://preview.example.com/auth/callback"));

        var href = cut.Find("a").GetAttribute("href")!;
        var query = QueryHelpers.ParseQuery(href[href.IndexOf('?')..]);
        Assert.Equal("GoogleOAuth", query["provider"]);
        Assert.Equal("conn_123", query["connectionId"]);
        Assert.Equal("example.com", query["domainHint"]);
        Assert.Equal("inv_456", query["invitationToken"]);
        Assert.Equal("login", query["prompt"]);
        Assert.Equal("300", query["maxAge"]);
        Assert.Equal("cart-42", query["state"]);
        Assert.Equal("https://preview.example.com/auth/callback", query["redirectUri"]);
    }

    [Fact]
    public void Sign_up_passes_the_options_to_the_sign_up_endpoint()
    {
        var cut = Render<SignUpButton>(p => p.Add(b => b.InvitationToken, "inv_456").Add(b => b.Provider, "MicrosoftOAuth"));

        var href = cut.Find("a").GetAttribute("href")!;
        Assert.StartsWith("/auth/sign-up?", href);
        var query = QueryHelpers.ParseQuery(href[href.IndexOf('?')..]);
        Assert.Equal("inv_456", query["invitationToken"]);
        Assert.Equal("MicrosoftOAuth", query["provider"]);
    }

    [Fact]
    public void Uses_the_configured_sign_in_path()
    {
        SchemeOptions.SignInPath = "/login";

        var cut = Render<SignInButton>();

        Assert.StartsWith("/login?returnPathname=", cut.Find("a").GetAttribute("href"));
    }

    [Fact]
    public void Follows_the_current_page_after_navigation()
    {
        var cut = Render<SignInButton>();

        Navigation.NavigateTo("/organizations");

        cut.WaitForAssertion(() => Assert.Equal("/auth/sign-in?returnPathname=%2Forganizations", cut.Find("a").GetAttribute("href")));
    }

    [Fact]
    public void Renders_the_same_link_for_signed_in_users_so_apps_decide_where_to_show_it()
    {
        Navigation.NavigateTo("/");
        var anonymous = Render<SignInButton>(p => p.AddCascadingValue(Anonymous)).Find("a").OuterHtml;

        var signedIn = Render<SignInButton>(p => p.AddCascadingValue(StateOf(Alice()))).Find("a").OuterHtml;
        var impersonated = Render<SignInButton>(p => p.AddCascadingValue(StateOf(CharlieImpersonated()))).Find("a").OuterHtml;

        Assert.Equal(anonymous, signedIn);
        Assert.Equal(anonymous, impersonated);
    }

    [Fact]
    public void Accepts_custom_content_classes_and_attributes()
    {
        var cut = Render<SignInButton>(p => p
            .Add(b => b.Class, "btn btn-primary")
            .AddUnmatched("aria-describedby", "hint")
            .AddChildContent("Log in with WorkOS"));

        var link = cut.Find("a");
        Assert.Equal("authkit-button authkit-sign-in btn btn-primary", link.GetAttribute("class"));
        Assert.Equal("hint", link.GetAttribute("aria-describedby"));
        Assert.Equal("Log in with WorkOS", link.TextContent);
    }
}

public sealed class SignUpButtonTests : AuthKitComponentTestContext
{
    [Fact]
    public void Links_to_the_sign_up_endpoint_returning_to_the_current_page()
    {
        Navigation.NavigateTo("/welcome");

        var cut = Render<SignUpButton>(p => p.AddCascadingValue(Anonymous).Add(b => b.LoginHint, "new@example.com"));

        var link = cut.Find("a");
        var href = link.GetAttribute("href")!;
        Assert.StartsWith("/auth/sign-up?", href);
        var query = QueryHelpers.ParseQuery(href[href.IndexOf('?')..]);
        Assert.Equal("/welcome", query["returnPathname"]);
        Assert.Equal("new@example.com", query["loginHint"]);
        Assert.Equal("Sign up", link.TextContent);
        Assert.Contains("authkit-sign-up", link.GetAttribute("class"));
        Assert.Equal("false", link.GetAttribute("data-enhance-nav"));
    }

    [Fact]
    public void Uses_the_configured_sign_up_path()
    {
        SchemeOptions.SignUpPath = "/register";

        var cut = Render<SignUpButton>(p => p.AddCascadingValue(StateOf(Alice())));

        Assert.StartsWith("/register?returnPathname=", cut.Find("a").GetAttribute("href"));
    }

    [Fact]
    public void Renders_the_same_link_whatever_the_session()
    {
        Navigation.NavigateTo("/pricing");

        var hrefs = new[] { Anonymous, StateOf(Alice()), StateOf(CharlieImpersonated()) }
            .Select(state => Render<SignUpButton>(p => p.AddCascadingValue(state)).Find("a").GetAttribute("href"))
            .Distinct()
            .ToList();

        Assert.Equal(["/auth/sign-up?returnPathname=%2Fpricing"], hrefs);
    }
}
