using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor.Tests.DependencyInjection;

[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;

[Collection(nameof(ProcessEnvironment))]
public sealed class EnvironmentOverrideTests
{
    [Fact]
    public async Task WORKOS_environment_variables_win_over_configuration_and_code()
    {
        Environment.SetEnvironmentVariable("WORKOS_COOKIE_NAME", "env-session");
        try
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseTestServer();
            builder.Logging.ClearProviders();
            builder.Configuration["AuthKit:ClientId"] = "client_test";
            builder.Configuration["AuthKit:ApiKey"] = "sk_test";
            builder.Configuration["AuthKit:RedirectUri"] = "http://localhost/auth/callback";
            builder.Configuration["AuthKit:CookiePassword"] = new string('p', 32);
            builder.Configuration["AuthKit:CookieName"] = "config-session";
            builder.Services.AddAuthKit(o => o.CookieName = "code-session");
            await using var app = builder.Build();

            Assert.Equal("env-session", app.Services.GetRequiredService<IOptions<AuthKit.Session.AuthKitOptions>>().Value.CookieName);
        }
        finally
        {
            Environment.SetEnvironmentVariable("WORKOS_COOKIE_NAME", null);
        }
    }

    [Fact]
    public async Task Missing_WorkOS_settings_fail_at_start_with_one_message_naming_every_setting()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddAuthKit();
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("WORKOS_CLIENT_ID", error.Message, StringComparison.Ordinal);
        Assert.Contains("WORKOS_COOKIE_PASSWORD", error.Message, StringComparison.Ordinal);
        Assert.Contains("WORKOS_REDIRECT_URI", error.Message, StringComparison.Ordinal);
    }
}
