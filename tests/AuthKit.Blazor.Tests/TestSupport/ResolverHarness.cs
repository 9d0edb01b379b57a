using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Blazor.Tests.TestSupport;

/// <summary>A <see cref="SessionResolver"/> over the fake backend, an in-memory relay and a fake clock.</summary>
internal sealed class ResolverHarness
{
    public ResolverHarness(AuthKitBlazorOptions? options = null)
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Options = Microsoft.Extensions.Options.Options.Create(options ?? new AuthKitBlazorOptions());
        Backend = new FakeSessionBackend(Time) { VerifiedSessions = new(Options.Value.VerifiedSessionCacheSize, TimeSpan.Zero) };
        Store = new MemorySessionRotationStore(Options, Time);
        Relay = new SessionRelay(Store, Options, NullLogger<SessionRelay>.Instance);
        Resolver = new SessionResolver(Backend, Relay, Options, Time, NullLogger<SessionResolver>.Instance);
    }

    public FakeTimeProvider Time { get; }
    public IOptions<AuthKitBlazorOptions> Options { get; }
    public FakeSessionBackend Backend { get; }
    public MemorySessionRotationStore Store { get; }
    public SessionRelay Relay { get; }
    public SessionResolver Resolver { get; }

    /// <summary>A sealed cookie for a fresh session.</summary>
    public string NewCookie(string? organizationId = null) => Backend.Seal(Backend.CreateSession(organizationId: organizationId));
}
