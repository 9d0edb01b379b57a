using System.Text.Json;
using AuthKit.Blazor.Components;
using AuthKit.Session;
using Bunit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Blazor.Tests.Components;

/// <summary>
/// Step-up in interactive components: an <c>AuthorizeRouteView</c> whose page needs <c>recent-sign-in:60</c>, with
/// <c>RedirectToSignIn</c> as <c>NotAuthorized</c>, evaluated by the real policy provider and handler.
/// </summary>
public sealed class StepUpRenderingTests : AuthKitComponentTestContext
{
    private readonly FakeTimeProvider _time = new(Now);

    public StepUpRenderingTests()
    {
        Services.AddAuthorizationCore();
        Services.Replace(ServiceDescriptor.Singleton<IAuthorizationPolicyProvider, AuthKitPolicyProvider>());
        Services.Replace(ServiceDescriptor.Transient<IAuthorizationService, DefaultAuthorizationService>()); // the real one, not bUnit's placeholder
        Services.AddSingleton<TimeProvider>(_time);
        Services.AddScoped<StepUpState>();
        Services.AddScoped<IAuthorizationHandler, RecentSignInHandler>();
    }

    private static AuthResult SignedInAt(DateTimeOffset authTime, string[]? permissions = null)
    {
        var claims = new AccessTokenClaims(JsonSerializer.SerializeToElement(new Dictionary<string, object?>
        {
            ["sub"] = "user_alice",
            ["sid"] = "session_1",
            ["auth_time"] = authTime.ToUnixTimeSeconds(),
            ["exp"] = Now.AddMinutes(5).ToUnixTimeSeconds(),
            ["permissions"] = permissions ?? [],
        }));
        return AuthResult.FromSession(new AuthKit.Session.Session
        {
            AccessToken = "at", RefreshToken = "rt", User = new WorkOSUser { Id = "user_alice", Email = "alice@example.com" },
        }, claims);
    }

    private IRenderedComponent<AuthorizeRouteView> RenderRoute(AuthResult auth) =>
        Render<AuthorizeRouteView>(p => p
            .AddCascadingValue(StateOf(auth))
            .Add(r => r.RouteData, new RouteData(typeof(StepUpPage), new Dictionary<string, object?>()))
            .Add(r => r.NotAuthorized, (RenderFragment<AuthenticationState>)(_ => b =>
            {
                b.OpenComponent<RedirectToSignIn>(0);
                b.CloseComponent();
            })));

    [Fact]
    public void A_recent_sign_in_renders_the_page()
    {
        Navigation.NavigateTo("/sensitive");

        var cut = RenderRoute(SignedInAt(Now.AddSeconds(-30)));

        cut.WaitForAssertion(() => Assert.Equal("Sensitive page", cut.Find(".step-up-page").TextContent));
        Assert.DoesNotContain(Navigation.History, h => h.Uri.Contains("sign-in", StringComparison.Ordinal));
    }

    [Fact]
    public void An_old_sign_in_is_sent_through_sign_in_with_max_age_and_the_return_path()
    {
        Navigation.NavigateTo("/sensitive?tab=2");

        RenderRoute(SignedInAt(Now.AddSeconds(-61)));

        var navigation = Navigation.History.First();
        Assert.Equal("/auth/sign-in?returnPathname=%2Fsensitive%3Ftab%3D2&maxAge=60", navigation.Uri);
        Assert.True(navigation.Options.ForceLoad);
    }

    [Fact]
    public void A_session_without_auth_time_is_asked_to_sign_in_again()
    {
        Navigation.NavigateTo("/sensitive");

        RenderRoute(Alice());

        Assert.EndsWith("&maxAge=60", Navigation.History.First().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signed_in_user_denied_for_another_reason_still_sees_access_denied()
    {
        Navigation.NavigateTo("/admin");
        var before = Navigation.History.Count;

        var cut = Render<RedirectToSignIn>(p => p.AddCascadingValue(StateOf(SignedInAt(Now))));

        Assert.Equal(before, Navigation.History.Count);
        Assert.NotNull(cut.Find(".authkit-access-denied"));
    }

    [Fact]
    public void An_explicit_max_age_sends_a_signed_in_user_to_sign_in_with_it()
    {
        Navigation.NavigateTo("/transfer");

        Render<RedirectToSignIn>(p => p.AddCascadingValue(StateOf(SignedInAt(Now))).Add(r => r.MaxAge, TimeSpan.FromMinutes(2)));

        Assert.Equal("/auth/sign-in?returnPathname=%2Ftransfer&maxAge=120", Navigation.History.First().Uri);
    }

    [Fact]
    public void An_anonymous_visitor_goes_to_sign_in_without_max_age()
    {
        Navigation.NavigateTo("/sensitive");

        RenderRoute(AuthResult.Anonymous);

        Assert.Equal("/auth/sign-in?returnPathname=%2Fsensitive", Navigation.History.First().Uri);
    }
}
