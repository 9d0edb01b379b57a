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
    public async Task A_cycle_in_the_store_does_not_loop_forever()
    {
        await _h.Relay.RecordRotationAsync("rt_a", "rt_b", "sealed_b");
        await _h.Relay.RecordRotationAsync("rt_b", "rt_a", "sealed_a");

        var hit = await _h.Relay.FindNewestAsync("rt_a");

        Assert.NotNull(hit);
        Assert.Equal(SessionRelay.MaxChainLength, hit.Hops);
    }
}
