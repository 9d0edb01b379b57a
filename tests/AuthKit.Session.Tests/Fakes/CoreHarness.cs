using Microsoft.Extensions.Options;

namespace AuthKit.Session.Tests.Fakes;

/// <summary>Wires a core against <see cref="FakeWorkOS"/> with a signalling fake clock.</summary>
public sealed class CoreHarness : IDisposable
{
    public CoreHarness(Action<AuthKitCoreOptions>? core = null, Action<AuthKitOptions>? configure = null, Func<TimeProvider, ISessionEncryption>? encryption = null)
    {
        Time = new SignalingTimeProvider();
        WorkOS = new FakeWorkOS(Time);
        Options = TestOptions.Create(configure);
        CoreOptions = new AuthKitCoreOptions();
        core?.Invoke(CoreOptions);
        var wrapped = Microsoft.Extensions.Options.Options.Create(Options);
        Client = new WorkOSUserManagementClient(new HttpClient(WorkOS, disposeHandler: false), wrapped, Time);
        Verifier = new CountingVerifier(new JwksAccessTokenVerifier(wrapped, Microsoft.Extensions.Options.Options.Create(CoreOptions), new FakeHttpClientFactory(WorkOS), Time));
        Encryption = new CountingEncryption(encryption?.Invoke(Time) ?? new SessionEncryption(Time));
        Core = new AuthKitCore(wrapped, Client, Encryption, Verifier, Microsoft.Extensions.Options.Options.Create(CoreOptions), Time);
        Engine = new SessionResolver(Core);
    }

    public SignalingTimeProvider Time { get; }
    public FakeWorkOS WorkOS { get; }
    public AuthKitOptions Options { get; }
    public AuthKitCoreOptions CoreOptions { get; }
    internal WorkOSUserManagementClient Client { get; }
    public CountingVerifier Verifier { get; }
    public CountingEncryption Encryption { get; }
    public AuthKitCore Core { get; }

    /// <summary>The session engine over <see cref="Core"/> (its own in-memory store), as AuthService uses it.</summary>
    public SessionResolver Engine { get; }

    /// <summary>A live session at the fake (a valid refresh token) with an access token of the given lifetime.</summary>
    public Session NewSession(string? organizationId = null, TimeSpan? lifetime = null, string userId = "user_alice")
    {
        var (access, refresh, _) = WorkOS.CreateSession(userId, organizationId, lifetime);
        return new Session
        {
            AccessToken = access,
            RefreshToken = refresh,
            User = new WorkOSUser { Id = userId, Email = "alice@example.com", FirstName = "Alice" },
        };
    }

    public void Dispose() => WorkOS.Dispose();
}

/// <summary>Counts validations passing through to the real verifier.</summary>
public sealed class CountingVerifier(IAccessTokenVerifier inner) : IAccessTokenVerifier
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public ValueTask<AccessTokenValidation> ValidateAsync(string accessToken, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return inner.ValidateAsync(accessToken, cancellationToken);
    }
}
