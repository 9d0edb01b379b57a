using AuthKit.Blazor.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuthKit.Blazor.Tests.Http;

public sealed class SessionRelayTests
{
    [Fact]
    public void Relay_keys_are_hashes_and_never_contain_the_token()
    {
        var key = SessionRelay.KeyForRefreshToken("rt_secret_value");

        Assert.DoesNotContain("secret", key, StringComparison.Ordinal);
        Assert.Equal(43, key.Length); // base64url SHA-256
        Assert.Equal(key, SessionRelay.KeyForRefreshToken("rt_secret_value"));
    }

    [Fact]
    public async Task Entries_expire_after_the_relay_lifetime()
    {
        var h = new ResolverHarness(new AuthKitBlazorOptions { RelayLifetime = TimeSpan.FromHours(1) });
        await h.Relay.RecordRotationAsync("rt_old", "rt_new", "sealed_new");
        await h.Relay.MarkEndedAsync("session_x");

        h.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        Assert.Null(await h.Relay.FindNewestAsync("rt_old"));
        Assert.False(await h.Relay.IsEndedAsync("session_x"));
    }

    [Fact]
    public async Task The_memory_store_stays_within_its_size_limit()
    {
        var h = new ResolverHarness(new AuthKitBlazorOptions { MemoryRelaySizeLimit = 100 });

        for (var i = 0; i < 1000; i++)
        {
            h.Time.Advance(TimeSpan.FromMilliseconds(1));
            await h.Relay.RecordRotationAsync("rt_" + i, "rt_" + (i + 1000), "sealed_" + i);
        }

        Assert.InRange(h.Store.Count, 1, 101);
        Assert.NotNull(await h.Relay.FindNewestAsync("rt_999")); // the newest survive
    }

    [Fact]
    public async Task A_cycle_in_the_store_does_not_loop_forever()
    {
        var h = new ResolverHarness();
        await h.Relay.RecordRotationAsync("rt_a", "rt_b", "sealed_b");
        await h.Relay.RecordRotationAsync("rt_b", "rt_a", "sealed_a");

        var hit = await h.Relay.FindNewestAsync("rt_a");

        Assert.NotNull(hit);
        Assert.Equal(SessionRelay.MaxChainLength, hit.Hops);
    }

    [Fact]
    public async Task The_distributed_store_round_trips_rotations_and_ended_sessions()
    {
        var cache = new Microsoft.Extensions.Caching.Distributed.MemoryDistributedCache(
            Microsoft.Extensions.Options.Options.Create(new Microsoft.Extensions.Caching.Memory.MemoryDistributedCacheOptions()));
        var options = Microsoft.Extensions.Options.Options.Create(new AuthKitBlazorOptions());
        var relay = new SessionRelay(new DistributedCacheSessionRotationStore(cache), options, NullLogger<SessionRelay>.Instance);

        await relay.RecordRotationAsync("rt_1", "rt_2", "sealed_2");
        await relay.RecordRotationAsync("rt_2", "rt_3", "sealed_3");
        await relay.MarkEndedAsync("session_9");

        Assert.Equal("sealed_3", (await relay.FindNewestAsync("rt_1"))!.SealedSession);
        Assert.True(await relay.IsEndedAsync("session_9"));
        Assert.False(await relay.IsEndedAsync("session_8"));
    }
}
