using System.Net;
using AuthKit.Blazor.Tests.TestSupport;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace AuthKit.Blazor.Tests.Integration;

/// <summary>Every authorization option of the sign-in and sign-up endpoints: forwarded to WorkOS, or refused with a 400 naming it.</summary>
public sealed class SignInOptionsTests : IAsyncLifetime
{
    private const string PreviewCallback = "http://preview.localhost/auth/callback";
    private AuthKitTestHost _host = null!;
    private string? _signedInState = "(not called)";

    public async Task InitializeAsync() => _host = await AuthKitTestHost.StartAsync(b => b
        .ConfigureScheme(o => o.AllowedRedirectUris.Add(PreviewCallback))
        .WithEvents(e => e.OnSignedIn = ctx =>
        {
            _signedInState = ctx.State;
            return Task.CompletedTask;
        }));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Every_option_reaches_workos_authorization_url_and_the_emulator_records_it()
    {
        var browser = _host.NewBrowser();
        _host.Emulator.SetAutoSignIn("bob@example.com");

        var start = await browser.GetAsync("/auth/sign-in?provider=GoogleOAuth&connectionId=conn_01ABC&organizationId=org_acme&domainHint=example.com"
            + "&loginHint=bob%40example.com&screenHint=sign-up&invitationToken=inv_tok.1&prompt=consent&maxAge=600");
        using var emulator = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var atEmulator = await emulator.GetAsync(start.Headers.Location);

        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var query = QueryHelpers.ParseQuery(start.Headers.Location!.Query);
        Assert.Equal("GoogleOAuth", query["provider"]);
        Assert.Equal("conn_01ABC", query["connection_id"]);
        Assert.Equal("org_acme", query["organization_id"]);
        Assert.Equal("example.com", query["domain_hint"]);
        Assert.Equal("bob@example.com", query["login_hint"]);
        Assert.Equal("sign-up", query["screen_hint"]);
        Assert.Equal("inv_tok.1", query["invitation_token"]);
        Assert.Equal("consent", query["prompt"]);
        Assert.Equal("600", query["max_age"]);
        Assert.Equal(HttpStatusCode.Redirect, atEmulator.StatusCode);
        var recorded = _host.Emulator.LastAuthorizationQuery;
        Assert.Equal("GoogleOAuth", recorded["provider"]);
        Assert.Equal("conn_01ABC", recorded["connection_id"]);
        Assert.Equal("inv_tok.1", recorded["invitation_token"]);
        Assert.Equal("example.com", recorded["domain_hint"]);
    }

    [Fact]
    public async Task The_sign_up_endpoint_sends_screen_hint_sign_up_and_the_default_provider()
    {
        var start = await _host.NewBrowser().GetAsync("/auth/sign-up?invitationToken=inv_1");

        var query = QueryHelpers.ParseQuery(start.Headers.Location!.Query);
        Assert.Equal("sign-up", query["screen_hint"]);
        Assert.Equal("authkit", query["provider"]);
        Assert.Equal("inv_1", query["invitation_token"]);
    }

    [Fact]
    public async Task Custom_state_comes_back_to_OnSignedIn()
    {
        var browser = _host.NewBrowser();

        var callback = await _host.SignInAsync(browser, "bob@example.com", extraQuery: "state=" + Uri.EscapeDataString("cart 42 / é"));

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("cart 42 / é", _signedInState);
        Assert.DoesNotContain("cart", callback.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task An_allow_listed_redirect_uri_is_used_for_this_sign_in()
    {
        var start = await _host.NewBrowser().GetAsync("/auth/sign-in?redirectUri=" + Uri.EscapeDataString(PreviewCallback));

        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.Equal(PreviewCallback, QueryHelpers.ParseQuery(start.Headers.Location!.Query)["redirect_uri"]);
    }

    [Theory]
    [InlineData("redirectUri=https%3A%2F%2Fevil.example%2Fauth%2Fcallback", "redirectUri")]
    [InlineData("redirectUri=http%3A%2F%2Fpreview.localhost%2Fauth%2Fcallback%2F", "redirectUri")]
    [InlineData("provider=FacebookOAuth", "provider")]
    [InlineData("provider=googleoauth", "provider")]
    [InlineData("connectionId=conn%2F..%2Fx", "connectionId")]
    [InlineData("invitationToken=a%20b", "invitationToken")]
    [InlineData("domainHint=exa%20mple.com", "domainHint")]
    [InlineData("domainHint=https%3A%2F%2Fexample.com", "domainHint")]
    [InlineData("screenHint=register", "screenHint")]
    [InlineData("prompt=sometimes", "prompt")]
    [InlineData("maxAge=-1", "maxAge")]
    [InlineData("provider=GoogleOAuth&provider=GitHubOAuth", "provider")]
    [InlineData("state=a%00b", "state")]
    public async Task Invalid_options_are_a_400_naming_the_option_and_never_a_redirect(string query, string option)
    {
        var response = await _host.NewBrowser().GetAsync("/auth/sign-in?" + query);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains($"&quot;{option}&quot;", body);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task A_state_over_2048_bytes_is_refused()
    {
        var response = await _host.NewBrowser().GetAsync("/auth/sign-in?state=" + new string('s', 2049));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("state", await response.Content.ReadAsStringAsync());
    }
}
