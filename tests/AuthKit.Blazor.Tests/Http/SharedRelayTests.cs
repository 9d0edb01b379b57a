using AuthKit.Blazor.Tests.TestSupport;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Blazor.Tests.Http;

/// <summary>Two servers sharing one distributed relay store (and one WorkOS).</summary>
public sealed class SharedRelayTests
{
    private sealed class GatedStore(ISessionRotationStore inner) : ISessionRotationStore
    {
        public TaskCompletionSource WriteGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public volatile bool WriteWaiting;

        public async ValueTask SetRotationAsync(string key, SessionRotation rotation, TimeSpan lifetime, CancellationToken cancellationToken = default)
        {
            WriteWaiting = true;
            await WriteGate.Task;
            await inner.SetRotationAsync(key, rotation, lifetime, cancellationToken);
        }

        public ValueTask<SessionRotation?> GetRotationAsync(string key, CancellationToken cancellationToken = default) => inner.GetRotationAsync(key, cancellationToken);
        public ValueTask MarkEndedAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken = default) => inner.MarkEndedAsync(key, lifetime, cancellationToken);
        public ValueTask<bool> IsEndedAsync(string key, CancellationToken cancellationToken = default) => inner.IsEndedAsync(key, cancellationToken);
    }

    [Fact]
    public async Task A_server_losing_a_refresh_race_waits_for_the_winners_successor_instead_of_signing_out()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var options = Options.Create(new AuthKitBlazorOptions());
        var backend = new FakeSessionBackend(time);
        var cache = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        var shared = new DistributedCacheSessionRotationStore(cache);
        var storeA = new GatedStore(shared);
        SessionResolver Server(ISessionRotationStore store) =>
            new(backend, new SessionRelay(store, options, NullLogger<SessionRelay>.Instance), options, time, NullLogger<SessionResolver>.Instance);
        var serverA = Server(storeA);
        var serverB = Server(shared);
        var cookie = backend.Seal(backend.CreateSession());
        time.Advance(TimeSpan.FromMinutes(6));

        var a = serverA.ResolveCookieAsync(cookie);
        await WaitUntil(() => storeA.WriteWaiting);           // A spent the token at WorkOS, its successor not yet stored
        var b = serverB.ResolveCookieAsync(cookie);
        await WaitUntil(() => backend.RejectedRefreshCalls == 1); // B's refresh was rejected
        storeA.WriteGate.SetResult();
        var resultA = await a;
        for (var i = 0; i < 20 && !b.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(250));
            await YieldUntil(() => b.IsCompleted, 200);
        }

        var resultB = await b;
        Assert.True(resultA.Auth.IsAuthenticated);
        Assert.Equal(SessionResolutionStatus.Updated, resultB.Status);
        Assert.Equal(resultA.SealedSession, resultB.SealedSession);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        await YieldUntil(condition, 1_000_000);
        Assert.True(condition());
    }

    /// <summary>Lets other work run (no sleeping) until the condition holds or the budget is spent.</summary>
    private static async Task YieldUntil(Func<bool> condition, int budget)
    {
        for (var i = 0; i < budget && !condition(); i++)
        {
            await Task.Yield();
        }
    }
}
