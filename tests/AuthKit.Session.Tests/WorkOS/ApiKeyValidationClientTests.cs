using System.Net;
using AuthKit.Testing;
using Microsoft.Extensions.Options;

namespace AuthKit.Session.Tests.WorkOS;

/// <summary><see cref="IWorkOSApiKeys"/> on the WorkOS client, against the emulator (and a failing handler for timeouts).</summary>
public sealed class ApiKeyValidationClientTests
{
    private static WorkOSUserManagementClient ClientFor(WorkOSEmulator emulator, HttpMessageHandler? handler = null, string? apiKey = null)
    {
        var options = new AuthKitOptions();
        emulator.ConfigureAuthKit(options);
        if (apiKey is not null)
        {
            options.ApiKey = apiKey;
        }

        return new WorkOSUserManagementClient(new HttpClient(handler ?? new SocketsHttpHandler()), Options.Create(options));
    }

    [Fact]
    public async Task A_seeded_organization_key_is_valid_with_its_owner_and_permissions()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();

        var result = await ClientFor(emulator).ValidateAsync("sk_test_demo_acme_admin");

        Assert.Equal(ApiKeyValidationStatus.Valid, result.Status);
        Assert.Equal("api_key_demo_acme_admin", result.ApiKey!.Id);
        Assert.Equal("Acme admin key", result.ApiKey.Name);
        Assert.Equal(new WorkOSApiKeyOwner { Type = "organization", Id = "org_acme" }, result.ApiKey.Owner);
        Assert.Equal(["posts:read", "posts:write", "admin:read"], result.ApiKey.Permissions);
        Assert.NotNull(result.ApiKey.CreatedAt);
        Assert.DoesNotContain("sk_test_demo_acme_admin", result.ApiKey.ObfuscatedValue ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_owned_key_names_the_user_and_the_organization_it_can_access()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();

        var result = await ClientFor(emulator).ValidateAsync("sk_test_demo_alice");

        Assert.Equal(new WorkOSApiKeyOwner { Type = "user", Id = "user_alice", OrganizationId = "org_acme" }, result.ApiKey!.Owner);
        Assert.True(result.ApiKey.Owner.IsUser);
    }

    [Fact]
    public async Task Unknown_and_revoked_keys_are_invalid()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        var client = ClientFor(emulator);
        var created = emulator.CreateApiKey(new EmulatorApiKey { Name = "temp", OrganizationId = "org_acme" });
        Assert.True((await client.ValidateAsync(created.Value!)).IsValid);

        emulator.RevokeApiKey(created.Id!);

        Assert.Equal(ApiKeyValidationStatus.Invalid, (await client.ValidateAsync(created.Value!)).Status);
        Assert.Equal(ApiKeyValidationStatus.Invalid, (await client.ValidateAsync("sk_test_nobody")).Status);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task WorkOS_errors_are_unavailable_never_invalid(int status)
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        emulator.InjectFault(new EmulatorFault { Route = "/api_keys/validations", Status = status });

        var result = await ClientFor(emulator).ValidateAsync("sk_test_demo_acme_admin");

        Assert.Equal(ApiKeyValidationStatus.Unavailable, result.Status);
        Assert.Equal((HttpStatusCode)status, result.Error!.Status);
        Assert.DoesNotContain("sk_test_demo_acme_admin", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_app_api_key_is_unavailable_not_a_verdict_on_the_callers_key()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();

        var result = await ClientFor(emulator, apiKey: "sk_wrong_app_key").ValidateAsync("sk_test_demo_acme_admin");

        Assert.Equal(ApiKeyValidationStatus.Unavailable, result.Status);
        Assert.IsType<WorkOSUnauthorizedException>(result.Error);
    }

    [Fact]
    public async Task A_timeout_is_unavailable()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();

        var result = await ClientFor(emulator, new TimingOutHandler()).ValidateAsync("sk_test_demo_acme_admin");

        Assert.Equal(ApiKeyValidationStatus.Unavailable, result.Status);
        Assert.Null(result.Error!.Status);
    }

    [Fact]
    public async Task The_caller_cancelling_throws()
    {
        await using var emulator = await WorkOSEmulator.StartAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ClientFor(emulator).ValidateAsync("sk_test_demo_acme_admin", cancelled.Token));
    }

    private sealed class TimingOutHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new TaskCanceledException("The request timed out.", new TimeoutException());
    }
}
