using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace AuthKit.Testing.Tests.Internal;

public class RequestLoggingTests
{
    [Fact]
    public async Task Every_request_is_logged_without_codes_tokens_verifiers_api_key_or_passwords()
    {
        var collector = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(collector)));
        await using var emulator = await WorkOSEmulator.StartAsync(new WorkOSEmulatorOptions { LoggerFactory = loggerFactory, AutoSignInEmail = "bob@example.com" });
        using var client = TestSupport.Client(emulator);

        var (verifier, challenge) = TestSupport.NewPkce();
        using var authorize = await client.GetAsync(TestSupport.AuthorizeUrl(emulator, challenge, state: "sealed-state-secret"));
        var code = TestSupport.RedirectQuery(authorize)["code"];
        using var exchange = await TestSupport.ExchangeCodeAsync(client, emulator, code, verifier);
        var body = await TestSupport.JsonAsync(exchange);
        var refreshToken = body.GetProperty("refresh_token").GetString()!;
        using var refresh = await TestSupport.RefreshAsync(client, emulator, refreshToken);
        using var replay = await TestSupport.RefreshAsync(client, emulator, refreshToken);
        using var password = await client.PostAsync("user_management/authorize/password", new FormUrlEncodedContent(new Dictionary<string, string> { ["request"] = "x", ["email"] = "bob@example.com", ["password"] = "hunter2-secret" }));

        var logs = string.Join("\n", collector.GetSnapshot().Select(r => r.Message));
        Assert.Contains("GET /user_management/authorize", logs);
        Assert.Contains("POST /user_management/authenticate", logs);
        Assert.Contains("refresh token already used", logs);
        foreach (var secret in new[] { code, verifier, challenge, "sealed-state-secret", refreshToken, body.GetProperty("access_token").GetString()!, emulator.ApiKey, "hunter2-secret" })
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }

        Assert.Equal(collector.Count, collector.GetSnapshot().Select(r => r.Id.Id).Count());
        Assert.All(collector.GetSnapshot(), r => Assert.InRange(r.Id.Id, 4001, 4099));
    }
}
