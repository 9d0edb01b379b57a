using AuthKit.Session.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AuthKit.Session.Tests.Engine;

/// <summary>
/// The real engine (<see cref="SessionResolver"/> over the real core, sealing and JWKS verification) against
/// <see cref="FakeWorkOS"/>, with an in-memory store (or one the test supplies) and a fake clock.
/// </summary>
internal sealed class EngineHarness : IDisposable
{
    public EngineHarness(SessionEngineOptions? engine = null, Action<AuthKitCoreOptions>? core = null, Func<IOptions<SessionEngineOptions>, TimeProvider, ISessionStore>? store = null)
    {
        Core = new CoreHarness(core);
        EngineOptions = Microsoft.Extensions.Options.Options.Create(engine ?? new SessionEngineOptions());
        Store = store?.Invoke(EngineOptions, Core.Time) ?? new MemorySessionStore(EngineOptions, Core.Time);
        Relay = new SessionRelay(Store, EngineOptions, NullLogger<SessionRelay>.Instance);
        EngineCore = NewCore(Relay);
        Resolver = NewServer(EngineCore, Relay);
    }

    /// <summary>The engine's core: its refresh flight records into <see cref="Relay"/>.</summary>
    public AuthKitCore EngineCore { get; }

    public CoreHarness Core { get; }

    public FakeWorkOS WorkOS => Core.WorkOS;

    public SignalingTimeProvider Time => Core.Time;

    public IOptions<SessionEngineOptions> EngineOptions { get; }

    public ISessionStore Store { get; }

    public SessionRelay Relay { get; }

    public SessionResolver Resolver { get; }

    /// <summary>Another server: its own core (flight, cache) and resolver over <paramref name="store"/>, the same WorkOS, cookie password and clock.</summary>
    public SessionResolver NewServer(ISessionStore store)
    {
        var relay = new SessionRelay(store, EngineOptions, NullLogger<SessionRelay>.Instance);
        return NewServer(NewCore(relay), relay);
    }

    private SessionResolver NewServer(AuthKitCore core, SessionRelay relay) => new(
        Core.Encryption, Core.Verifier, core, relay, EngineOptions, Microsoft.Extensions.Options.Options.Create(Core.Options), Time, NullLogger<SessionResolver>.Instance);

    private AuthKitCore NewCore(SessionRelay relay) => new(
        Microsoft.Extensions.Options.Options.Create(Core.Options), Core.Client, Core.Encryption, Core.Verifier,
        Microsoft.Extensions.Options.Options.Create(Core.CoreOptions), Time, null, relay, EngineOptions);

    public Session NewSession(string? organizationId = null, TimeSpan? lifetime = null) => Core.NewSession(organizationId, lifetime);

    public string Seal(Session session) => EngineCore.EncryptSession(session);

    /// <summary>A sealed cookie for a fresh session (5-minute access token unless said otherwise).</summary>
    public string NewCookie(string? organizationId = null, TimeSpan? lifetime = null) => Seal(NewSession(organizationId, lifetime));

    public static string SessionIdOf(Session session) =>
        AccessTokens.TryParseUnverified(session.AccessToken, out var claims) ? claims.SessionId! : throw new InvalidOperationException("not a JWT");

    public void Dispose() => Core.Dispose();
}
