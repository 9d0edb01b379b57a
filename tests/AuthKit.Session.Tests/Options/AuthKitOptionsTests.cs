using Microsoft.Extensions.Options;

namespace AuthKit.Session.Tests.OptionsValidation;

public sealed class AuthKitOptionsTests
{
    private const string Password = "authkit-session-cookie-password-0123456789";

    private static AuthKitOptions Valid() => new()
    {
        ClientId = "client_123",
        ApiKey = "sk_test_123",
        RedirectUri = "https://app.example.com/callback",
        CookiePassword = Password,
    };

    private static Func<string, string?> Env(params (string Name, string Value)[] values)
    {
        var map = values.ToDictionary(v => v.Name, v => v.Value);
        return name => map.GetValueOrDefault(name);
    }

    private static AuthKitOptions Create(Action<AuthKitOptions> configure, Func<string, string?> env)
    {
        var factory = new OptionsFactory<AuthKitOptions>(
            [new ConfigureOptions<AuthKitOptions>(configure)],
            [new AuthKitEnvironmentPostConfigure(env)],
            [new AuthKitOptionsValidator()]);
        return factory.Create(Microsoft.Extensions.Options.Options.DefaultName);
    }

    [Fact]
    public void Defaults_match_the_npm_package()
    {
        var options = new AuthKitOptions();

        Assert.Equal("wos-session", options.CookieName);
        Assert.Equal(TimeSpan.FromDays(400), options.CookieMaxAge);
        Assert.Equal("lax", options.CookieSameSite);
        Assert.Equal("api.workos.com", options.ApiHostname);
        Assert.True(options.ApiHttps);
        Assert.Null(options.ApiPort);
        Assert.Null(options.CookieDomain);
    }

    [Fact]
    public void Environment_variables_override_programmatic_values()
    {
        AuthKitOptions options = Create(
            o => { o.ClientId = "client_code"; o.ApiKey = "sk_code"; o.RedirectUri = "https://code.example.com/cb"; o.CookiePassword = new string('c', 40); o.ApiPort = 1; },
            Env(
                ("WORKOS_CLIENT_ID", "client_env"),
                ("WORKOS_API_KEY", "sk_env"),
                ("WORKOS_REDIRECT_URI", "http://localhost:5000/callback"),
                ("WORKOS_COOKIE_PASSWORD", Password),
                ("WORKOS_COOKIE_NAME", "env-session"),
                ("WORKOS_COOKIE_MAX_AGE", "3600"),
                ("WORKOS_COOKIE_DOMAIN", "example.com"),
                ("WORKOS_COOKIE_SAME_SITE", "strict"),
                ("WORKOS_API_HOSTNAME", "127.0.0.1"),
                ("WORKOS_API_HTTPS", "false"),
                ("WORKOS_API_PORT", "8080")));

        Assert.Equal("client_env", options.ClientId);
        Assert.Equal("sk_env", options.ApiKey);
        Assert.Equal("http://localhost:5000/callback", options.RedirectUri);
        Assert.Equal(Password, options.CookiePassword);
        Assert.Equal("env-session", options.CookieName);
        Assert.Equal(TimeSpan.FromHours(1), options.CookieMaxAge);
        Assert.Equal("example.com", options.CookieDomain);
        Assert.Equal("strict", options.CookieSameSite);
        Assert.Equal("127.0.0.1", options.ApiHostname);
        Assert.False(options.ApiHttps);
        Assert.Equal(8080, options.ApiPort);
    }

    [Fact]
    public void Unset_or_empty_environment_variables_leave_programmatic_values_alone()
    {
        AuthKitOptions options = Create(o => { Copy(Valid(), o); o.CookieName = "mine"; }, Env(("WORKOS_COOKIE_NAME", ""), ("WORKOS_API_PORT", "  ")));

        Assert.Equal("mine", options.CookieName);
        Assert.Equal("client_123", options.ClientId);
        Assert.Null(options.ApiPort);
    }

    [Fact]
    public void A_complete_configuration_validates()
    {
        AuthKitOptions options = Create(o => Copy(Valid(), o), Env());

        Assert.Equal("client_123", options.ClientId);
    }

    [Fact]
    public void Required_settings_can_come_from_the_environment_alone()
    {
        AuthKitOptions options = Create(_ => { }, Env(
            ("WORKOS_CLIENT_ID", "client_env"), ("WORKOS_API_KEY", "sk_env"),
            ("WORKOS_REDIRECT_URI", "https://app.example.com/callback"), ("WORKOS_COOKIE_PASSWORD", Password)));

        Assert.Equal("client_env", options.ClientId);
    }

    [Fact]
    public void Every_missing_setting_is_reported_in_one_message_with_option_key_and_environment_variable()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Create(_ => { }, Env()));

        string message = Assert.Single(ex.Failures);
        Assert.Equal(message, ex.Message);
        Assert.Contains("4 problems", message);
        foreach ((string option, string variable) in new[]
                 {
                     ("ClientId", "WORKOS_CLIENT_ID"), ("ApiKey", "WORKOS_API_KEY"),
                     ("RedirectUri", "WORKOS_REDIRECT_URI"), ("CookiePassword", "WORKOS_COOKIE_PASSWORD"),
                 })
        {
            Assert.Contains($"{option} (AuthKit:{option}, environment variable {variable}) is required", message);
        }
        Assert.Contains("https://dashboard.workos.com", message);
    }

    [Fact]
    public void Invalid_values_are_all_reported_together_without_echoing_secrets()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Create(o =>
        {
            Copy(Valid(), o);
            o.CookiePassword = "short-secret-value";
            o.RedirectUri = "/callback";
            o.CookieSameSite = "sideways";
            o.CookieName = "bad name;";
            o.CookieMaxAge = TimeSpan.FromSeconds(-1);
            o.ApiHostname = "https://api.workos.com";
            o.ApiPort = 70000;
            o.CookieDomain = "https://example.com/";
        }, Env()));

        string message = ex.Message;
        Assert.Contains("8 problems", message);
        Assert.Contains("CookiePassword (AuthKit:CookiePassword, environment variable WORKOS_COOKIE_PASSWORD) must be at least 32 characters (currently 18)", message);
        Assert.Contains("RedirectUri (AuthKit:RedirectUri, environment variable WORKOS_REDIRECT_URI) must be an absolute http(s) URL", message);
        Assert.Contains("CookieSameSite (AuthKit:CookieSameSite, environment variable WORKOS_COOKIE_SAME_SITE) must be lax, strict or none", message);
        Assert.Contains("WORKOS_COOKIE_NAME", message);
        Assert.Contains("WORKOS_COOKIE_MAX_AGE", message);
        Assert.Contains("WORKOS_API_HOSTNAME", message);
        Assert.Contains("WORKOS_API_PORT", message);
        Assert.Contains("WORKOS_COOKIE_DOMAIN", message);
        Assert.DoesNotContain("short-secret-value", message);
    }

    [Theory]
    [InlineData("none", "http://localhost:5000/callback", false)]
    [InlineData("NONE", "https://app.example.com/callback", true)]
    [InlineData("Strict", "http://localhost:5000/callback", true)]
    public void Same_site_none_requires_an_https_redirect_uri(string sameSite, string redirectUri, bool valid)
    {
        AuthKitOptions options = Valid();
        options.CookieSameSite = sameSite;
        options.RedirectUri = redirectUri;

        ValidateOptionsResult result = new AuthKitOptionsValidator().Validate(null, options);

        Assert.Equal(valid, result.Succeeded);
        if (!valid) Assert.Contains("SameSite", result.FailureMessage, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("WORKOS_COOKIE_MAX_AGE", "ten")]
    [InlineData("WORKOS_COOKIE_MAX_AGE", "-5")]
    [InlineData("WORKOS_API_HTTPS", "yes")]
    [InlineData("WORKOS_API_PORT", "0")]
    [InlineData("WORKOS_API_PORT", "http")]
    public void Unparsable_environment_values_are_reported_by_the_validator(string variable, string value)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Create(o => Copy(Valid(), o), Env((variable, value))));

        Assert.Contains($"{variable}='{value}'", ex.Message);
        Assert.Contains("1 problem", ex.Message);
    }

    [Fact]
    public void Apply_environment_can_be_called_directly()
    {
        AuthKitOptions options = Valid();

        options.ApplyEnvironment(Env(("WORKOS_COOKIE_SAME_SITE", "none")));

        Assert.Equal("none", options.CookieSameSite);
    }

    private static void Copy(AuthKitOptions from, AuthKitOptions to)
    {
        to.ClientId = from.ClientId;
        to.ApiKey = from.ApiKey;
        to.RedirectUri = from.RedirectUri;
        to.CookiePassword = from.CookiePassword;
    }
}

/// <summary>Changes the process environment, so it runs alone (never alongside tests that read WORKOS_* variables).</summary>
[CollectionDefinition(nameof(ProcessEnvironmentCollection), DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection;

[Collection(nameof(ProcessEnvironmentCollection))]
public sealed class AuthKitEnvironmentPostConfigureProcessTests
{
    [Fact]
    public void The_parameterless_post_configure_reads_the_process_environment()
    {
        string variable = AuthKitEnvironment.CookieDomain;
        string? before = Environment.GetEnvironmentVariable(variable);
        Environment.SetEnvironmentVariable(variable, "from-process.example");
        try
        {
            var options = new AuthKitOptions();
            new AuthKitEnvironmentPostConfigure().PostConfigure(null, options);
            Assert.Equal("from-process.example", options.CookieDomain);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, before);
        }
    }
}
