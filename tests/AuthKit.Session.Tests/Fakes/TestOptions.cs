using Microsoft.Extensions.Options;

namespace AuthKit.Session.Tests.Fakes;

public static class TestOptions
{
    public const string CookiePassword = "a-very-long-cookie-password-of-at-least-32-chars";
    public const string RedirectUri = "https://app.example.test/callback";

    public static AuthKitOptions Create(Action<AuthKitOptions>? configure = null)
    {
        var options = new AuthKitOptions
        {
            ClientId = FakeWorkOS.ClientId,
            ApiKey = FakeWorkOS.ApiKey,
            RedirectUri = RedirectUri,
            CookiePassword = CookiePassword,
            ApiHostname = FakeWorkOS.Host,
        };
        configure?.Invoke(options);
        return options;
    }

    public static IOptions<AuthKitOptions> Wrap(AuthKitOptions options) => Microsoft.Extensions.Options.Options.Create(options);
}
