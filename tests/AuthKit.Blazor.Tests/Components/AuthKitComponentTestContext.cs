using AuthKit.Blazor.Tests.Circuits;
using AuthKit.Blazor.Tests.TestSupport;
using AuthKit.Session;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor.Tests.Components;

/// <summary>bUnit context with AuthKit's component services: options, antiforgery and a fake WorkOS.</summary>
public abstract class AuthKitComponentTestContext : BunitContext
{
    internal static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    protected AuthKitComponentTestContext()
    {
        Services.AddSingleton<IOptionsMonitor<AuthKitAuthenticationOptions>>(new TestOptionsMonitor<AuthKitAuthenticationOptions>(SchemeOptions));
        Services.AddOptions<AuthKitEndpointPaths>().Configure(paths => AuthKit.Blazor.Components.EndpointPathsFromScheme.CopyFrom(SchemeOptions, paths));
        Services.AddSingleton<AntiforgeryStateProvider, FakeAntiforgeryStateProvider>();
        Services.AddSingleton<IWorkOSUserManagement>(WorkOS);
    }

    /// <summary>The <c>AuthKit</c> scheme's options the components read (paths); set before rendering.</summary>
    internal AuthKitAuthenticationOptions SchemeOptions { get; } = new();

    internal FakeWorkOS WorkOS { get; } = new();

    internal BunitNavigationManager Navigation => Services.GetRequiredService<BunitNavigationManager>();

    internal static AuthResult Alice(string? organizationId = "org_acme") =>
        TestAuth.Create(Now, TimeSpan.FromMinutes(5), organizationId: organizationId);

    internal static AuthResult CharlieImpersonated(string? reason = "Investigating ticket #42") =>
        TestAuth.Create(
            Now,
            TimeSpan.FromMinutes(5),
            userId: "user_charlie",
            email: "charlie@example.com",
            impersonator: new Impersonator { Email = "support@example.com", Reason = reason });

    /// <summary>The cascaded <c>Task&lt;AuthenticationState&gt;</c> for a signed-in (or anonymous) user.</summary>
    internal static Task<AuthenticationState> StateOf(AuthResult auth) => Task.FromResult<AuthenticationState>(new AuthKitAuthenticationState(auth));

    internal static Task<AuthenticationState> Anonymous => StateOf(AuthResult.Anonymous);
}

/// <summary>A WorkOS whose membership and organization lookups are scripted; everything else is unused by components.</summary>
internal sealed class FakeWorkOS : IWorkOSUserManagement
{
    public Dictionary<string, List<OrganizationMembership>> Memberships { get; } = [];

    public Dictionary<string, string> OrganizationNames { get; } = [];

    public List<string> MembershipRequests { get; } = [];

    public Exception? Failure { get; set; }

    public TaskCompletionSource? Gate { get; set; }

    public void AddMembership(string userId, string organizationId, string? name, string role = "member", string status = "active")
    {
        if (!Memberships.TryGetValue(userId, out var list))
        {
            Memberships[userId] = list = [];
        }

        list.Add(new OrganizationMembership
        {
            Id = $"om_{userId}_{organizationId}",
            UserId = userId,
            OrganizationId = organizationId,
            OrganizationName = name,
            Role = role,
            Status = status,
        });
    }

    public async Task<IReadOnlyList<OrganizationMembership>> ListOrganizationMembershipsAsync(string userId, CancellationToken cancellationToken = default)
    {
        MembershipRequests.Add(userId);
        if (Gate is not null)
        {
            await Gate.Task.WaitAsync(cancellationToken);
        }

        if (Failure is not null)
        {
            throw Failure;
        }

        return Memberships.TryGetValue(userId, out var list) ? list : [];
    }

    public Task<Organization> GetOrganizationAsync(string organizationId, CancellationToken cancellationToken = default) =>
        OrganizationNames.TryGetValue(organizationId, out var name)
            ? Task.FromResult(new Organization { Id = organizationId, Name = name })
            : Task.FromException<Organization>(new WorkOSApiException("Not found.", System.Net.HttpStatusCode.NotFound));

    public Uri GetAuthorizationUrl(AuthorizationUrlRequest request) => throw new NotSupportedException();

    public Task<AuthenticationResponse> AuthenticateWithCodeAsync(string code, string codeVerifier, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<AuthenticationResponse> AuthenticateWithRefreshTokenAsync(string refreshToken, string? organizationId = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<AuthenticationResponse> AuthenticateWithOrganizationSelectionAsync(string pendingAuthenticationToken, string organizationId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<AuthenticationResponse> AuthenticateWithEmailVerificationAsync(string pendingAuthenticationToken, string code, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<AuthenticationResponse> AuthenticateWithTotpAsync(string pendingAuthenticationToken, string authenticationChallengeId, string code, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<string> ChallengeAuthenticationFactorAsync(string authenticationFactorId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Uri GetLogoutUrl(string sessionId, string? returnTo = null) => throw new NotSupportedException();

    public Uri GetJwksUrl() => throw new NotSupportedException();

    public Task RevokeSessionAsync(string sessionId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
