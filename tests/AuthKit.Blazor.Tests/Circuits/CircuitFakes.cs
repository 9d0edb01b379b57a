using System.Text.Json;
using AuthKit.Session;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.JSInterop;

namespace AuthKit.Blazor.Tests.Circuits;

/// <summary>Builds authenticated <see cref="AuthResult"/>s with chosen expiry, organization and impersonation.</summary>
internal static class TestAuth
{
    public static readonly DateTimeOffset Start = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    public static AuthResult Create(
        DateTimeOffset issuedAt,
        TimeSpan lifetime,
        string userId = "user_alice",
        string email = "alice@example.com",
        string sessionId = "session_1",
        string? organizationId = "org_acme",
        string? role = "admin",
        string[]? permissions = null,
        Impersonator? impersonator = null,
        string? tokenSuffix = null)
    {
        var payload = new Dictionary<string, object?>
        {
            ["sub"] = userId,
            ["sid"] = sessionId,
            ["iat"] = issuedAt.ToUnixTimeSeconds(),
            ["exp"] = (issuedAt + lifetime).ToUnixTimeSeconds(),
            ["org_id"] = organizationId,
            ["role"] = role,
            ["permissions"] = permissions ?? ["posts:write"],
        };
        var claims = new AccessTokenClaims(JsonSerializer.SerializeToElement(payload));
        var suffix = tokenSuffix ?? $"{organizationId}-{issuedAt.ToUnixTimeSeconds()}";
        var session = new AuthKit.Session.Session
        {
            AccessToken = $"access-{userId}-{suffix}",
            RefreshToken = $"refresh-{userId}-{suffix}",
            User = new WorkOSUser { Id = userId, Email = email, FirstName = "Alice", LastName = "Example" },
            Impersonator = impersonator,
        };
        return AuthResult.FromSession(session, claims);
    }

    public static AuthKitAuthenticationState State(AuthResult auth) => new(auth);
}

/// <summary>A scriptable <see cref="IAuthKitSessionCoordinator"/> that records its calls.</summary>
internal sealed class FakeSessionCoordinator : IAuthKitSessionCoordinator
{
    private readonly Queue<Func<AuthResult, Task<RevalidationResult>>> _script = new();

    public List<(AuthResult Current, bool Force)> RevalidateCalls { get; } = [];

    public List<(AuthResult Current, string OrganizationId)> SwitchCalls { get; } = [];

    /// <summary>Answer used when the script is empty: unchanged.</summary>
    public Func<AuthResult, Task<RevalidationResult>> Default { get; set; } = current => Task.FromResult(RevalidationResult.Unchanged(current));

    public Func<AuthResult, string, Task<RevalidationResult>> OnSwitch { get; set; } =
        (current, _) => Task.FromResult(RevalidationResult.Unchanged(current));

    public void Enqueue(Func<AuthResult, RevalidationResult> answer) => _script.Enqueue(current => Task.FromResult(answer(current)));

    public void Enqueue(Func<AuthResult, Task<RevalidationResult>> answer) => _script.Enqueue(answer);

    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];

    /// <summary>Completes once <paramref name="count"/> revalidation calls arrived (calls start on the thread pool).</summary>
    public Task WhenCalledAsync(int count)
    {
        lock (RevalidateCalls)
        {
            if (RevalidateCalls.Count >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
            return signal.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    public Task<RevalidationResult> RevalidateAsync(AuthResult current, bool force, CancellationToken cancellationToken = default)
    {
        lock (RevalidateCalls)
        {
            RevalidateCalls.Add((current, force));
            foreach (var waiter in _waiters.Where(w => w.Count <= RevalidateCalls.Count).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Signal.SetResult();
            }
        }

        var answer = _script.TryDequeue(out var scripted) ? scripted : Default;
        return answer(current);
    }

    public Task<RevalidationResult> SwitchOrganizationAsync(AuthResult current, string organizationId, CancellationToken cancellationToken = default)
    {
        SwitchCalls.Add((current, organizationId));
        return OnSwitch(current, organizationId);
    }

    public ValueTask<bool> IsSessionEndedAsync(string sessionId, CancellationToken cancellationToken = default) => ValueTask.FromResult(false);
}

/// <summary>An <see cref="IJSRuntime"/> that records the module import and the module's calls (<c>storeSession</c>, <c>watchSignOut</c>, <c>isSigningOut</c>).</summary>
internal sealed class FakeJSRuntime : IJSRuntime
{
    public List<string> Imports { get; } = [];

    public List<object?[]> StoreSessionCalls { get; } = [];

    /// <summary>The sign-out URLs the module was asked to watch.</summary>
    public List<string> WatchSignOutCalls { get; } = [];

    /// <summary>How many times the circuit asked whether the tab is signing out.</summary>
    public int IsSigningOutCalls;

    /// <summary>What the module's isSigningOut answers: this tab posted the sign-out form.</summary>
    public bool SigningOut { get; set; }

    /// <summary>Status the module's storeSession returns.</summary>
    public int Status { get; set; } = 204;

    /// <summary>When set, every call throws it (e.g. a disconnected circuit).</summary>
    public Exception? Failure { get; set; }

    public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) => InvokeAsync<TValue>(identifier, CancellationToken.None, args);

    public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args)
    {
        if (Failure is not null)
        {
            return ValueTask.FromException<TValue>(Failure);
        }

        if (identifier == "import")
        {
            lock (Imports)
            {
                Imports.Add((string)args![0]!);
            }

            return ValueTask.FromResult((TValue)(object)new Module(this));
        }

        throw new InvalidOperationException($"Unexpected JS call {identifier}.");
    }

    private sealed class Module(FakeJSRuntime owner) : IJSObjectReference
    {
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) => InvokeAsync<TValue>(identifier, CancellationToken.None, args);

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args)
        {
            if (owner.Failure is not null)
            {
                return ValueTask.FromException<TValue>(owner.Failure);
            }

            if (identifier == SessionCookieSync.WatchSignOutFunction)
            {
                lock (owner.WatchSignOutCalls)
                {
                    owner.WatchSignOutCalls.Add((string)args![0]!);
                }

                return ValueTask.FromResult(default(TValue)!);
            }

            if (identifier == SessionCookieSync.IsSigningOutFunction)
            {
                Interlocked.Increment(ref owner.IsSigningOutCalls);
                return ValueTask.FromResult((TValue)(object)owner.SigningOut);
            }

            Assert.Equal(SessionCookieSync.StoreSessionFunction, identifier);
            lock (owner.StoreSessionCalls)
            {
                owner.StoreSessionCalls.Add(args ?? []);
            }

            return ValueTask.FromResult((TValue)(object)owner.Status);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

internal sealed class TestNavigationManager : NavigationManager
{
    public TestNavigationManager(string baseUri = "http://localhost/", string uri = "http://localhost/account") => Initialize(baseUri, uri);

    protected override void NavigateToCore(string uri, NavigationOptions options) => Uri = ToAbsoluteUri(uri).ToString();
}

/// <summary>Antiforgery for component tests (bUnit registers none).</summary>
internal sealed class FakeAntiforgeryStateProvider : AntiforgeryStateProvider
{
    public const string Token = "test-antiforgery-token";

    public override AntiforgeryRequestToken? GetAntiforgeryToken() => new(Token, "__RequestVerificationToken");
}

/// <summary>A provider and its revalidator wired to fakes and a fake clock.</summary>
internal sealed class ProviderHarness : IDisposable
{
    /// <param name="options">AuthKit options (defaults when null).</param>
    /// <param name="claimsTransformation">
    /// The app's claims transformation in the circuit's services; null registers ASP.NET Core's default no-op (what
    /// <c>AddAuthentication()</c> registers), so every test runs the way an app without a transformation does.
    /// </param>
    /// <param name="schemeOptions">The <c>AuthKit</c> scheme's options (paths; defaults when null).</param>
    /// <param name="store">The app's session store in the circuit's services (none when null).</param>
    public ProviderHarness(AuthKitBlazorOptions? options = null, IClaimsTransformation? claimsTransformation = null, AuthKitAuthenticationOptions? schemeOptions = null, ISessionStore? store = null)
    {
        Options = Microsoft.Extensions.Options.Options.Create(options ?? new AuthKitBlazorOptions());
        var collection = new Microsoft.Extensions.DependencyInjection.ServiceCollection()
            .AddSingleton<IJSRuntime>(JS)
            .AddSingleton<NavigationManager>(Navigation)
            .AddSingleton(claimsTransformation ?? new NoopClaimsTransformation());
        if (store is not null)
        {
            collection.AddSingleton(store);
        }

        var services = CircuitServices = collection.BuildServiceProvider();
        CookieSync = new SessionCookieSync(services, new TestSupport.TestOptionsMonitor<AuthKitAuthenticationOptions>(schemeOptions ?? new()), Time, NullLogger<SessionCookieSync>.Instance);
        Provider = new AuthKitAuthenticationStateProvider(state => new CircuitSessionRevalidator(
            state, Coordinator, CookieSync, services, Accessor, Time, Options, new FakeLogger<CircuitSessionRevalidator>(Logs)));
        Provider.AuthenticationStateChanged += task => Changes.Add(task);
    }

    /// <summary>What the revalidator logged.</summary>
    public FakeLogCollector Logs { get; } = new();

    public FakeTimeProvider Time { get; } = new(TestAuth.Start);

    public FakeSessionCoordinator Coordinator { get; } = new();

    public FakeJSRuntime JS { get; } = new();

    public TestNavigationManager Navigation { get; } = new();

    public IOptions<AuthKitBlazorOptions> Options { get; }

    public SessionCookieSync CookieSync { get; }

    public AuthKitAuthenticationStateProvider Provider { get; }

    /// <summary>The provider's revalidator.</summary>
    public CircuitSessionRevalidator Revalidator => Provider.Revalidator;

    /// <summary>The circuit's services (JS runtime, navigation, the app's claims transformation).</summary>
    public IServiceProvider CircuitServices { get; }

    /// <summary>The accessor the revalidator sets while a background revalidation runs.</summary>
    public CircuitServicesAccessor Accessor { get; } = new();

    public List<Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState>> Changes { get; } = [];

    /// <summary>Signs the circuit in the way the host does: with the principal the scheme handler built.</summary>
    public AuthResult SignIn(TimeSpan? lifetime = null, string? organizationId = "org_acme")
    {
        var auth = TestAuth.Create(Time.GetUtcNow(), lifetime ?? TimeSpan.FromMinutes(5), organizationId: organizationId);
        Provider.SetAuthenticationState(Task.FromResult<Microsoft.AspNetCore.Components.Authorization.AuthenticationState>(
            new Microsoft.AspNetCore.Components.Authorization.AuthenticationState(AuthKitIdentity.CreatePrincipal(auth))));
        Changes.Clear();
        return auth;
    }

    public async Task<AuthKitAuthenticationState> CurrentAsync() => Assert.IsType<AuthKitAuthenticationState>(await Provider.GetAuthenticationStateAsync());

    public void Dispose() => Provider.Dispose();
}

/// <summary>
/// A scriptable app <see cref="IClaimsTransformation"/> that records the principals it was given. By default it adds an
/// app identity (its own authentication type) with the role <see cref="Role"/> and a <c>tenant</c> claim copied from
/// AuthKit's <c>org_id</c>, the way apps commonly add roles from their own database.
/// </summary>
internal sealed class RecordingClaimsTransformation : IClaimsTransformation
{
    public const string Role = "editor";
    public const string TenantClaim = "tenant";

    public List<ClaimsPrincipal> Calls { get; } = [];

    /// <summary>Replaces the default behaviour (e.g. to clone, throw, or wait).</summary>
    public Func<ClaimsPrincipal, Task<ClaimsPrincipal>>? OnTransform { get; set; }

    public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        lock (Calls)
        {
            Calls.Add(principal);
        }

        return OnTransform is { } custom ? custom(principal) : Task.FromResult(AddAppIdentity(principal));
    }

    /// <summary>A transformation that never finishes; <paramref name="called"/> completes when it is first invoked.</summary>
    public static RecordingClaimsTransformation NeverFinishing(out Task called)
    {
        var invoked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = new TaskCompletionSource<ClaimsPrincipal>(TaskCreationOptions.RunContinuationsAsynchronously);
        called = invoked.Task;
        return new RecordingClaimsTransformation
        {
            OnTransform = _ =>
            {
                invoked.TrySetResult();
                return pending.Task;
            },
        };
    }

    public static ClaimsPrincipal AddAppIdentity(ClaimsPrincipal principal)
    {
        var app = new ClaimsIdentity(
            [new Claim(AuthKitClaimTypes.Role, Role), new Claim(TenantClaim, principal.FindFirst(AuthKitClaimTypes.OrganizationId)?.Value ?? "none")],
            "app", AuthKitClaimTypes.Name, AuthKitClaimTypes.Role);
        principal.AddIdentity(app);
        return principal;
    }
}
