namespace AuthKit.Session.Tests.Engine;

public sealed class SessionRelayTests : IDisposable
{
    private readonly EngineHarness _h = new();

    public void Dispose() => _h.Dispose();

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
        using var h = new EngineHarness(new SessionEngineOptions { RelayLifetime = TimeSpan.FromHours(1) });
        await h.Relay.RecordRotationAsync("rt_old", "rt_new", "sealed_new");
        await h.Relay.MarkEndedAsync("session_x");

        h.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        Assert.Null(await h.Relay.FindNewestAsync("rt_old"));
        Assert.False(await h.Relay.IsEndedAsync("session_x"));
    }

    [Fact]
    public async Task The_memory_store_stays_within_its_size_limit()
    {
        using var h = new EngineHarness(new SessionEngineOptions { MemoryStoreSizeLimit = 100 });

        for (var i = 0; i < 1000; i++)
        {
            h.Time.Advance(TimeSpan.FromMilliseconds(1));
            await h.Relay.RecordRotationAsync("rt_" + i, "rt_" + (i + 1000), "sealed_" + i);
        }

        Assert.InRange(((MemorySessionStore)h.Store).Count, 1, 101);
        Assert.NotNull(await h.Relay.FindNewestAsync("rt_999")); // the newest survive
    }

    [Fact]
    public async Task A_chain_of_refreshes_keeps_one_sealed_session_and_every_old_token_still_finds_the_newest()
    {
        for (var i = 0; i < 4; i++)
        {
            await _h.Relay.RecordRotationAsync("rt_" + i, "rt_" + (i + 1), "sealed_" + (i + 1));
        }

        for (var i = 0; i < 3; i++)
        {
            var superseded = await _h.Store.GetRotationAsync(SessionRelay.KeyForRefreshToken("rt_" + i));
            Assert.Equal(new SessionRotation("", SessionRelay.KeyForRefreshToken("rt_" + (i + 1))), superseded);
            Assert.True(superseded!.IsSuperseded);
        }

        Assert.Equal("sealed_4", (await _h.Store.GetRotationAsync(SessionRelay.KeyForRefreshToken("rt_3")))?.SealedSession);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(new RelayHit("sealed_4", 4 - i), await _h.Relay.FindNewestAsync("rt_" + i));
        }

        Assert.Null(await _h.Relay.FindNewestAsync("rt_4")); // the newest token was never rotated
    }

    [Fact]
    public async Task A_superseded_record_keeps_its_lifetime()
    {
        using var h = new EngineHarness(new SessionEngineOptions { RelayLifetime = TimeSpan.FromHours(1) });
        await h.Relay.RecordRotationAsync("rt_0", "rt_1", "sealed_1");
        h.Time.Advance(TimeSpan.FromMinutes(30));
        await h.Relay.RecordRotationAsync("rt_1", "rt_2", "sealed_2"); // supersedes rt_0's record

        h.Time.Advance(TimeSpan.FromMinutes(31));

        Assert.Null(await h.Store.GetRotationAsync(SessionRelay.KeyForRefreshToken("rt_0"))); // expired at its own hour
        Assert.Equal(new RelayHit("sealed_2", 1), await h.Relay.FindNewestAsync("rt_1"));
    }

    [Fact]
    public async Task A_chain_whose_newest_record_is_gone_falls_back_to_the_newest_sealed_session_it_still_holds()
    {
        // As with a store that keeps every record whole (the distributed-cache store) and an eviction of the newest.
        var store = _h.Store;
        await store.SetRotationAsync("k2", new SessionRotation("", "k3"), TimeSpan.FromHours(1)); // a pointer whose target is gone
        await store.SetRotationAsync("k0", new SessionRotation("sealed_1", "k1"), TimeSpan.FromHours(1));
        await store.SetRotationAsync("k1", new SessionRotation("sealed_2", "k2"), TimeSpan.FromHours(1)); // supersedes k0
        Assert.True((await store.GetRotationAsync("k0"))!.IsSuperseded);

        Assert.Equal(new RelayHit("sealed_2", 3), await _h.Relay.FindNewestByKeyAsync("k0"));
    }

    [Fact]
    public async Task A_cycle_in_the_store_does_not_loop_forever()
    {
        await _h.Relay.RecordRotationAsync("rt_a", "rt_b", "sealed_b");
        await _h.Relay.RecordRotationAsync("rt_b", "rt_a", "sealed_a");

        var hit = await _h.Relay.FindNewestAsync("rt_a");

        Assert.NotNull(hit);
        Assert.Equal(SessionRelay.MaxChainLength, hit.Hops);
    }
}
