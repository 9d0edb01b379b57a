using AuthKit.Blazor.Tests.Circuits;
using Bunit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace AuthKit.Blazor.Tests.Components;

/// <summary>The circuit's state provider driving real <c>AuthorizeView</c> / cascading-state rendering.</summary>
public sealed class CircuitStateRenderingTests : AuthKitComponentTestContext
{
    private readonly ProviderHarness _harness = new();

    public CircuitStateRenderingTests()
    {
        Services.AddAuthorizationCore();
        // bUnit pre-registers a placeholder that asks for its own fake; use the real authorization service instead.
        Services.AddSingleton<IAuthorizationService, DefaultAuthorizationService>();
        Services.AddCascadingAuthenticationState();
        Services.AddSingleton<AuthenticationStateProvider>(_harness.Provider);
    }

    [Fact]
    public async Task A_refresh_in_the_circuit_re_renders_the_page_with_the_replaced_principal()
    {
        _harness.SignIn(organizationId: "org_acme");
        var cut = Render<AuthStatusProbe>();
        Assert.Equal("alice@example.com in org_acme", cut.Find("#who").TextContent);
        var switched = TestAuth.Create(_harness.Time.GetUtcNow(), TimeSpan.FromMinutes(5), organizationId: "org_globex");
        _harness.Coordinator.Enqueue(_ => RevalidationResult.Refreshed(switched, "sealed"));

        await _harness.Revalidator.RevalidateAsync(force: false);

        cut.WaitForAssertion(() => Assert.Equal("alice@example.com in org_globex", cut.Find("#who").TextContent));
    }

    [Fact]
    public async Task A_final_failure_in_the_circuit_shows_NotAuthorized_which_sends_the_user_to_sign_in()
    {
        Navigation.NavigateTo("/account");
        _harness.SignIn();
        var cut = Render<AuthStatusProbe>();
        Assert.NotNull(cut.Find("#who"));
        _harness.Coordinator.Enqueue(_ => RevalidationResult.SignedOut(SignOutReason.EndedElsewhere));

        await _harness.Revalidator.RevalidateAsync(force: false);

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("#who")));
        var redirect = Navigation.History.First();
        Assert.Equal("/auth/sign-in?returnPathname=%2Faccount", redirect.Uri);
        Assert.True(redirect.Options.ForceLoad);
    }

    [Fact]
    public async Task A_transient_failure_leaves_the_page_as_it_is()
    {
        _harness.SignIn();
        var cut = Render<AuthStatusProbe>();
        var before = cut.Find("#who").TextContent;
        _harness.Coordinator.Enqueue(current => RevalidationResult.Transient(current, TimeSpan.FromSeconds(10), accessTokenStillValid: true, null));

        await _harness.Revalidator.RevalidateAsync(force: false);

        Assert.Equal(before, cut.Find("#who").TextContent);
        Assert.Equal(1, cut.RenderCount);
    }

    protected override void Dispose(bool disposing)
    {
        _harness.Dispose();
        base.Dispose(disposing);
    }
}
