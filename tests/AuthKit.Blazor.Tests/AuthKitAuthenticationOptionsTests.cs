using System.Net;
using AuthKit.Blazor.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor.Tests;

public sealed class AuthKitAuthenticationOptionsTests
{
    private static WebApplication Build(Dictionary<string, string?> config, Action<IAuthKitBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration["AuthKit:ClientId"] = "client_test";
        builder.Configuration["AuthKit:ApiKey"] = "sk_test";
        builder.Configuration["AuthKit:RedirectUri"] = "http://localhost/auth/callback";
        builder.Configuration["AuthKit:CookiePassword"] = new string('p', 32);
        foreach (var (k, v) in config)
        {
            builder.Configuration[k] = v;
        }

        var authKit = builder.Services.AddAuthKit();
        configure?.Invoke(authKit);
        return builder.Build();
    }

    private static AuthKitAuthenticationOptions SchemeOptions(WebApplication app) =>
        app.Services.GetRequiredService<IOptionsMonitor<AuthKitAuthenticationOptions>>().Get(AuthKitDefaults.AuthenticationScheme);

    [Fact]
    public async Task The_callback_path_is_derived_from_the_redirect_uri_when_not_set()
    {
        await using var app = Build(new() { ["AuthKit:RedirectUri"] = "https://app.example/oauth/done" });

        Assert.Equal("/oauth/done", SchemeOptions(app).CallbackPath);
    }

    [Fact]
    public async Task A_redirect_uri_without_a_path_gives_the_default_callback_path()
    {
        await using var app = Build(new() { ["AuthKit:RedirectUri"] = "https://app.example/" });

        Assert.Equal("/auth/callback", SchemeOptions(app).CallbackPath);
    }

    [Fact]
    public async Task An_explicit_callback_path_in_code_wins_over_the_redirect_uri()
    {
        await using var app = Build(new() { ["AuthKit:RedirectUri"] = "https://app.example/oauth/done" }, b => b.ConfigureScheme(o => o.CallbackPath = "/signin-workos"));

        Assert.Equal("/signin-workos", SchemeOptions(app).CallbackPath);
    }

    [Fact]
    public async Task An_explicit_callback_path_in_configuration_wins_over_the_redirect_uri()
    {
        await using var app = Build(new() { ["AuthKit:RedirectUri"] = "https://app.example/oauth/done", ["AuthKit:CallbackPath"] = "/from-config" });

        Assert.Equal("/from-config", SchemeOptions(app).CallbackPath);
    }

    [Fact]
    public async Task Paths_from_the_AuthKit_section_reach_the_scheme_and_code_wins_over_configuration()
    {
        await using var app = Build(
            new() { ["AuthKit:SignInPath"] = "/login", ["AuthKit:SignOutPath"] = "/config-bye", ["AuthKit:ErrorPath"] = "/oops" },
            b => b.ConfigureScheme(o => o.SignOutPath = "/code-bye"));

        var options = SchemeOptions(app);

        Assert.Equal("/login", options.SignInPath);
        Assert.Equal("/code-bye", options.SignOutPath);
        Assert.Equal("/oops", options.ErrorPath);
        Assert.Equal("/auth/sign-up", options.SignUpPath);
    }

    [Fact]
    public async Task A_sign_in_path_from_configuration_is_where_the_challenge_redirects_and_where_sign_in_is_mapped()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration["AuthKit:ClientId"] = "client_test";
        builder.Configuration["AuthKit:ApiKey"] = "sk_test";
        builder.Configuration["AuthKit:RedirectUri"] = "http://localhost/auth/callback";
        builder.Configuration["AuthKit:CookiePassword"] = new string('p', 32);
        builder.Configuration["AuthKit:SignInPath"] = "/login";
        builder.Services.AddAuthKit();
        await using var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapAuthKit();
        app.MapGet("/protected", () => "secret").RequireAuthorization();
        await app.StartAsync();
        using var client = app.GetTestClient();

        var response = await client.GetAsync("/protected");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login?returnPathname=%2Fprotected", response.Headers.Location!.OriginalString);
        var routes = ((Microsoft.AspNetCore.Routing.IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints)
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>().Select(e => e.RoutePattern.RawText).ToList();
        Assert.Contains("/login", routes);
        Assert.DoesNotContain("/auth/sign-in", routes);
    }

    [Fact]
    public async Task Invalid_paths_and_integration_settings_fail_at_start_in_one_message()
    {
        await using var app = Build(new() { ["AuthKit:CallbackPath"] = "relative", ["AuthKit:ErrorPath"] = "//evil", ["AuthKit:RelayLifetime"] = "00:00:00" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("AuthKit:CallbackPath", error.Message, StringComparison.Ordinal);
        Assert.Contains("AuthKit:ErrorPath", error.Message, StringComparison.Ordinal);
        Assert.Contains("AuthKit:RelayLifetime", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_EventsType_that_is_not_an_AuthKitEvents_fails_at_start()
    {
        await using var app = Build([], b => b.ConfigureScheme(o => o.EventsType = typeof(string)));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("EventsType must derive from AuthKitEvents", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_the_documented_paths_and_no_op_events()
    {
        var options = new AuthKitAuthenticationOptions();

        Assert.Equal("/auth/sign-in", options.SignInPath);
        Assert.Equal("/auth/sign-up", options.SignUpPath);
        Assert.Equal("/auth/sign-out", options.SignOutPath);
        Assert.Equal("/auth/switch-organization", options.SwitchOrganizationPath);
        Assert.Equal("/auth/session", options.SessionPath);
        Assert.Equal("/", options.SignedOutReturnPath);
        Assert.Null(options.CallbackPath);
        Assert.Null(options.ErrorPath);
        Assert.Null(options.EventsType);
        Assert.IsType<AuthKitEvents>(options.Events);
    }
}
