using AuthKit.Session;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Blazor.Tests.Relay;

public sealed class DistributedCacheSessionStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly IOptions<SessionEngineOptions> _options = Options.Create(new SessionEngineOptions());
    private readonly MemoryDistributedCache _cache = new(Options.Create(new MemoryDistributedCacheOptions()));

    [Fact]
    public async Task Rotations_and_ended_sessions_written_by_one_server_are_read_by_another()
    {
        var serverA = new SessionRelay(new DistributedCacheSessionStore(_cache, _options, _time), _options, NullLogger<SessionRelay>.Instance);
        var serverB = new SessionRelay(new DistributedCacheSessionStore(_cache, _options, _time), _options, NullLogger<SessionRelay>.Instance);

        await serverA.RecordRotationAsync("rt_1", "rt_2", "sealed_2");
        await serverA.RecordRotationAsync("rt_2", "rt_3", "sealed_3");
        await serverA.MarkEndedAsync("session_9");

        Assert.True(serverB.IsShared);
        Assert.Equal("sealed_3", (await serverB.FindNewestAsync("rt_1"))!.SealedSession);
        Assert.True(await serverB.IsEndedAsync("session_9"));
        Assert.False(await serverB.IsEndedAsync("session_8"));
    }

    [Fact]
    public async Task Its_lease_and_notifications_are_per_process_as_documented()
    {
        var storeA = new DistributedCacheSessionStore(_cache, _options, _time);
        var storeB = new DistributedCacheSessionStore(_cache, _options, _time);
        var heardByB = 0;
        using var subscription = storeB.Subscribe(_ => heardByB++);

        var leaseA = await storeA.TryAcquireRefreshLeaseAsync("k", TimeSpan.FromSeconds(10));
        var leaseB = await storeB.TryAcquireRefreshLeaseAsync("k", TimeSpan.FromSeconds(10));
        var againA = await storeA.TryAcquireRefreshLeaseAsync("k", TimeSpan.FromSeconds(10));
        await storeA.MarkEndedAsync("e", TimeSpan.FromHours(1));

        Assert.NotNull(leaseA);
        Assert.NotNull(leaseB); // no lease across servers: IDistributedCache has no atomic set-if-absent
        Assert.Null(againA);
        Assert.Equal(0, heardByB);
        Assert.True(await storeB.IsEndedAsync("e"));
    }
}
