using AuthKit.Session;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor.Tests.DependencyInjection;

public sealed class AddAuthKitTests
{
    private static WebApplicationBuilder NewBuilder(Dictionary<string, string?>? config = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration["AuthKit:ClientId"] = "client_test";
        builder.Configuration["AuthKit:ApiKey"] = "sk_test";
        builder.Configuration["AuthKit:RedirectUri"] = "http://localhost/auth/callback";
        builder.Configuration["AuthKit:CookiePassword"] = new string('p', 32);
        foreach (var (k, v) in config ?? [])
        {
            builder.Configuration[k] = v;
        }

        return builder;
    }

    [Fact]
    public async Task Calling_AddAuthKit_twice_registers_everything_once()
    {
        var builder = NewBuilder();
        builder.Services.AddAuthKit();
        builder.Services.AddAuthKit(o => o.CookieName = "second");
        await using var app = builder.Build();

        var schemes = await app.Services.GetRequiredService<IAuthenticationSchemeProvider>().GetAllSchemesAsync();
        Assert.Single(schemes, s => s.Name == AuthKitDefaults.AuthenticationScheme);
        Assert.Equal(AuthKitDefaults.AuthenticationScheme, (await app.Services.GetRequiredService<IAuthenticationSchemeProvider>().GetDefaultAuthenticateSchemeAsync())!.Name);
        Assert.Single(builder.Services, d => d.ServiceType == typeof(SessionResolver));
        Assert.IsType<AuthKitPolicyProvider>(app.Services.GetRequiredService<IAuthorizationPolicyProvider>());
        Assert.Equal("second", app.Services.GetRequiredService<IOptions<AuthKit.Session.AuthKitOptions>>().Value.CookieName);
        await using var scope = app.Services.CreateAsyncScope();
        Assert.IsAssignableFrom<ICircuitAuthSource>(scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>());
    }

    [Fact]
    public async Task The_step_up_result_handler_wraps_the_frameworks_even_when_authorization_was_added_first_and_an_apps_own_wins()
    {
        var first = NewBuilder();
        first.Services.AddAuthorization();
        first.Services.AddAuthKit();
        await using var app = first.Build();
        var own = NewBuilder();
        own.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, OwnResultHandler>();
        own.Services.AddAuthKit();
        await using var ownApp = own.Build();

        Assert.IsType<AuthKitAuthorizationResultHandler>(app.Services.GetRequiredService<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler>());
        Assert.Single(first.Services, d => d.ServiceType == typeof(Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler));
        Assert.IsType<OwnResultHandler>(ownApp.Services.GetRequiredService<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler>());
    }

    private sealed class OwnResultHandler : Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler
    {
        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, Microsoft.AspNetCore.Authorization.Policy.PolicyAuthorizationResult authorizeResult) => next(context);
    }

    [Fact]
    public async Task A_default_scheme_chosen_by_the_app_is_kept()
    {
        var builder = NewBuilder();
        builder.Services.AddAuthentication("Other").AddScheme<AuthenticationSchemeOptions, NoopHandler>("Other", _ => { });
        builder.Services.AddAuthKit();
        await using var app = builder.Build();

        Assert.Equal("Other", (await app.Services.GetRequiredService<IAuthenticationSchemeProvider>().GetDefaultAuthenticateSchemeAsync())!.Name);
    }

    [Fact]
    public async Task Integration_options_are_bound_from_the_AuthKit_section_and_the_builder()
    {
        var builder = NewBuilder(new() { ["AuthKit:SignInPath"] = "/login", ["AuthKit:RefreshBuffer"] = "00:02:00" });
        builder.Services.AddAuthKit().Configure(o => o.RevalidationInterval = TimeSpan.FromSeconds(5));
        await using var app = builder.Build();

        var scheme = app.Services.GetRequiredService<IOptionsMonitor<AuthKitAuthenticationOptions>>().Get(AuthKitDefaults.AuthenticationScheme);
        var options = app.Services.GetRequiredService<IOptions<AuthKitBlazorOptions>>().Value;
        Assert.Equal("/login", scheme.SignInPath);
        Assert.Equal(TimeSpan.FromMinutes(2), options.RefreshBuffer);
        Assert.Equal(TimeSpan.FromSeconds(5), options.RevalidationInterval);
    }

    [Fact]
    public async Task Invalid_integration_options_fail_at_start_with_every_problem_in_one_message()
    {
        var builder = NewBuilder(new() { ["AuthKit:SignInPath"] = "login", ["AuthKit:SessionPath"] = "//evil", ["AuthKit:RevalidationInterval"] = "00:00:00" });
        builder.Services.AddAuthKit();
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("AuthKit:SignInPath", error.Message, StringComparison.Ordinal);
        Assert.Contains("AuthKit:SessionPath", error.Message, StringComparison.Ordinal);
        Assert.Contains("AuthKit:RevalidationInterval", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_custom_rotation_store_replaces_the_in_memory_one()
    {
        var builder = NewBuilder();
        builder.Services.AddDistributedMemoryCache();
        builder.Services.AddAuthKit().UseDistributedCacheSessionStore();
        await using var app = builder.Build();

        Assert.IsType<DistributedCacheSessionStore>(app.Services.GetRequiredService<ISessionStore>());
    }

    [Fact]
    public async Task MapAuthKit_maps_the_configured_paths_and_the_callback_from_the_redirect_uri()
    {
        var builder = NewBuilder(new() { ["AuthKit:RedirectUri"] = "http://localhost/oauth/done", ["AuthKit:SignOutPath"] = "/bye" });
        builder.Services.AddAuthKit();
        await using var app = builder.Build();
        app.MapAuthKit();

        var routes = ((Microsoft.AspNetCore.Routing.IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText).ToList();

        Assert.Contains("/oauth/done", routes);
        Assert.Contains("/bye", routes);
        Assert.Contains("/auth/sign-in", routes);
        Assert.Contains("/auth/session", routes);
    }

    private sealed class NoopHandler(IOptionsMonitor<AuthenticationSchemeOptions> o, ILoggerFactory l, System.Text.Encodings.Web.UrlEncoder e)
        : AuthenticationHandler<AuthenticationSchemeOptions>(o, l, e)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());
    }
}
