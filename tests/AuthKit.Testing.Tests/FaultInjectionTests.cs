using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Testing.Tests;

public class FaultInjectionTests
{
    [Fact]
    public async Task A_rate_limit_fault_answers_429_with_retry_after_once_then_normal_service_resumes()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);
        var signIn = emulator.SignIn("bob@example.com");

        emulator.InjectFault(EmulatorFault.RateLimit("/user_management/authenticate", TimeSpan.FromSeconds(3), grantType: "refresh_token"));
        using var limited = await TestSupport.RefreshAsync(client, emulator, signIn.RefreshToken);
        using var next = await TestSupport.RefreshAsync(client, emulator, signIn.RefreshToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), limited.Headers.RetryAfter!.Delta);
        var body = await TestSupport.JsonAsync(limited);
        Assert.Equal("Too Many Requests", body.GetProperty("message").GetString());
        Assert.Equal("rate_limit_exceeded", body.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(2, emulator.RequestCounts.RefreshToken);
        Assert.Equal(1, emulator.RequestCounts.FaultsServed);
    }

    [Fact]
    public async Task A_grant_type_filter_leaves_other_grants_alone()
    {
        await using var emulator = await WorkOSEmulator.StartAsync(new WorkOSEmulatorOptions { AutoSignInEmail = "bob@example.com" });
        using var client = TestSupport.Client(emulator);

        emulator.InjectFault(new EmulatorFault { Route = "/user_management/authenticate", GrantType = "refresh_token", Status = 500 });
        var body = await TestSupport.SignInAsync(emulator, client);
        using var failed = await TestSupport.RefreshAsync(client, emulator, body.GetProperty("refresh_token").GetString()!);

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal("emulator_fault", (await TestSupport.JsonAsync(failed)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Faults_with_a_custom_body_repeat_until_cleared_and_match_route_prefixes()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var client = TestSupport.Client(emulator);

        emulator.InjectFault(new EmulatorFault { Route = "/sso/jwks/*", Status = 503, Body = """{"message":"down"}""", Count = null });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var r = await client.GetAsync($"sso/jwks/{emulator.ClientId}");
            statuses.Add(r.StatusCode);
            Assert.Equal("down", (await TestSupport.JsonAsync(r)).GetProperty("message").GetString());
        }

        emulator.ClearFaults();
        using var healthy = await client.GetAsync($"sso/jwks/{emulator.ClientId}");

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.ServiceUnavailable, s));
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.Equal(4, emulator.RequestCounts.Jwks);
    }

    [Fact]
    public async Task A_delay_fault_holds_the_response_until_the_emulator_clock_passes_the_delay()
    {
        var time = new FakeTimeProvider();
        await using var emulator = await WorkOSEmulator.StartAsync(new WorkOSEmulatorOptions { TimeProvider = time });
        using var client = TestSupport.Client(emulator);
        emulator.InjectFault(new EmulatorFault { Route = "/health", Delay = TimeSpan.FromSeconds(30) });
        var started = time.GetUtcNow();

        var pending = client.GetAsync("health");
        while (!pending.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(10));
            await Task.WhenAny(pending, Task.Delay(20));
        }

        using var response = await pending;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(time.GetUtcNow() - started >= TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Invalid_faults_are_rejected()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();

        Assert.Throws<ArgumentException>(() => emulator.InjectFault(new EmulatorFault { Route = "/health" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => emulator.InjectFault(new EmulatorFault { Route = "/health", Status = 42 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => emulator.InjectFault(new EmulatorFault { Route = "/health", Status = 500, Count = 0 }));
    }
}
