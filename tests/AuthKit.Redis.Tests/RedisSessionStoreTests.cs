using System.Diagnostics;
using AuthKit.Redis.Internal;
using AuthKit.Redis.Tests.TestSupport;
using AuthKit.Session;
using StackExchange.Redis;

namespace AuthKit.Redis.Tests;

/// <summary>The Redis store against a real redis-server: the lease, rotations and ended sessions, pub/sub between two servers, and the local view.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisSessionStoreTests(SharedRedis redis) : IDisposable
{
    private readonly string _prefix = SharedRedis.NewPrefix();
    private readonly List<RedisSessionStore> _stores = [];

    public void Dispose() => _stores.ForEach(s => s.Dispose());

    private async Task<RedisSessionStore> ServerAsync()
    {
        var store = await Stores.StartedAsync(Stores.Options(redis.Address, _prefix));
        _stores.Add(store);
        return store;
    }

    [Fact]
    public async Task Of_many_concurrent_acquirers_on_several_servers_exactly_one_gets_the_lease()
    {
        var servers = new[] { await ServerAsync(), await ServerAsync(), await ServerAsync() };

        var attempts = Enumerable.Range(0, 60)
            .Select(i => Task.Run(async () => await servers[i % 3].TryAcquireRefreshLeaseAsync("rt|org", TimeSpan.FromSeconds(10))))
            .ToArray();
        var leases = await Task.WhenAll(attempts);

        var winner = Assert.Single(leases, l => l is not null);
        Assert.False(winner!.Token.StartsWith("local:", StringComparison.Ordinal)); // a Redis lease, not a fallback
        Assert.Equal(winner.Token, (string?)await Stores.Database(redis.Address).StringGetAsync(_prefix + "lease:rt|org"));
    }

    [Fact]
    public async Task A_lease_whose_holder_died_blocks_nobody_past_its_duration()
    {
        var dead = await ServerAsync();
        var other = await ServerAsync();
        var duration = TimeSpan.FromSeconds(1);
        var acquired = Stopwatch.GetTimestamp();
        var held = await dead.TryAcquireRefreshLeaseAsync("rt|", duration);
        var whileHeld = await other.TryAcquireRefreshLeaseAsync("rt|", TimeSpan.FromSeconds(10));
        dead.Dispose(); // the holder goes away without releasing

        // Redis expires the lease on its own clock, so this waits in real time; only a lower bound on the wait is
        // asserted, which a busy machine cannot break.
        SessionRefreshLease? afterwards = null;
        await Eventually.TrueAsync(async () => (afterwards = await other.TryAcquireRefreshLeaseAsync("rt|", TimeSpan.FromSeconds(10))) is not null,
            "the dead holder's lease lapses", TimeSpan.FromSeconds(10));

        Assert.NotNull(held);
        Assert.Null(whileHeld);
        Assert.NotNull(afterwards);
        Assert.True(Stopwatch.GetElapsedTime(acquired) >= duration - TimeSpan.FromMilliseconds(50), "the lease was free before its duration");
    }

    [Fact]
    public async Task Renewal_extends_only_the_holders_lease()
    {
        var a = await ServerAsync();
        var b = await ServerAsync();
        var lease = await a.TryAcquireRefreshLeaseAsync("rt|", TimeSpan.FromSeconds(5));
        var db = Stores.Database(redis.Address);

        Assert.True(await a.RenewRefreshLeaseAsync(lease!, TimeSpan.FromSeconds(30)));
        var ttl = await db.KeyTimeToLiveAsync(_prefix + "lease:rt|");
        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30)); // well past the original 5 s
        Assert.Null(await b.TryAcquireRefreshLeaseAsync("rt|", TimeSpan.FromSeconds(10)));
        Assert.False(await b.RenewRefreshLeaseAsync(lease! with { Token = "not-the-holder" }, TimeSpan.FromSeconds(30)));
        Assert.InRange((await db.KeyTimeToLiveAsync(_prefix + "lease:rt|"))!.Value, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Release_deletes_only_the_holders_lease()
    {
        var a = await ServerAsync();
        var b = await ServerAsync();
        var first = await a.TryAcquireRefreshLeaseAsync("rt|", TimeSpan.FromMilliseconds(200));
        await Task.Delay(300); // lapsed: b takes it over
        var second = await b.TryAcquireRefreshLeaseAsync("rt|", TimeSpan.FromSeconds(10));

        await a.ReleaseRefreshLeaseAsync(first!); // the late release of the old holder must not free b's lease
        var stolen = await a.TryAcquireRefreshLeaseAsync("rt|", TimeSpan.FromSeconds(10));
        await b.ReleaseRefreshLeaseAsync(second!);
        var free = await a.TryAcquireRefreshLeaseAsync("rt|", TimeSpan.FromSeconds(10));

        Assert.NotNull(second);
        Assert.Null(stolen);
        Assert.NotNull(free);
    }

    [Fact]
    public async Task A_lease_is_refused_once_its_refresh_token_was_rotated_and_the_rotation_is_then_read_from_Redis()
    {
        var winner = await ServerAsync();
        var late = await ServerAsync();
        var rotation = new SessionRotation("sealed-successor", "next-key");
        await winner.SetRotationAsync("rt", rotation, TimeSpan.FromMinutes(5));
        await Eventually.TrueAsync(async () => await late.GetRotationAsync("rt") is not null, "the rotation reached the other server");
        var cold = await ServerAsync(); // started after the rotation: its cache does not have it

        Assert.Null(await cold.GetRotationAsync("rt")); // a warm look-up does not ask Redis
        Assert.Null(await cold.TryAcquireRefreshLeaseAsync("rt|org_1", TimeSpan.FromSeconds(10))); // spent token: no lease
        Assert.Equal(rotation, await cold.GetRotationAsync("rt")); // its refresh is awaited now: the miss asks Redis
    }

    [Fact]
    public async Task Rotations_and_ended_sessions_reach_the_other_server_over_pub_sub_and_its_subscribers()
    {
        var a = await ServerAsync();
        var b = await ServerAsync();
        var heard = new System.Collections.Concurrent.ConcurrentQueue<SessionStoreNotification>();
        using var subscription = b.Subscribe(heard.Enqueue);
        var commandsBefore = b.CommandsSent;

        await a.SetRotationAsync("rt_1", new SessionRotation("sealed_2", "rt_2"), TimeSpan.FromMinutes(5));
        await a.MarkEndedAsync("sid_1", TimeSpan.FromMinutes(5));
        await Eventually.TrueAsync(() => heard.Count == 2, "both notifications reached the other server");

        Assert.Equal(
            [new(SessionStoreNotificationKind.Rotated, "rt_1"), new(SessionStoreNotificationKind.Ended, "sid_1")],
            heard.ToArray());
        Assert.Equal(new SessionRotation("sealed_2", "rt_2"), await b.GetRotationAsync("rt_1"));
        Assert.True(await b.IsEndedAsync("sid_1"));
        Assert.False(await b.IsEndedAsync("sid_2"));
        Assert.Equal(commandsBefore, b.CommandsSent); // all answered from b's view
    }

    [Fact]
    public async Task A_server_that_starts_later_loads_the_ended_sessions_and_answers_them_locally()
    {
        var a = await ServerAsync();
        await a.MarkEndedAsync("sid_old", TimeSpan.FromMinutes(5));

        var b = await ServerAsync();
        var before = b.CommandsSent;

        Assert.True(await b.IsEndedAsync("sid_old"));
        Assert.False(await b.IsEndedAsync("sid_other"));
        Assert.Equal(before, b.CommandsSent);
    }

    [Fact]
    public async Task Warm_ended_and_rotation_checks_send_no_command_to_Redis()
    {
        using var own = await RedisServerProcess.StartAsync(); // its own server, so INFO commandstats counts only this test
        var a = await Stores.StartedAsync(Stores.Options(own.Address, _prefix));
        var b = await Stores.StartedAsync(Stores.Options(own.Address, _prefix));
        _stores.Add(a);
        _stores.Add(b);
        await a.SetRotationAsync("rt_1", new SessionRotation("sealed_2", "rt_2"), TimeSpan.FromMinutes(5));
        await a.MarkEndedAsync("sid_1", TimeSpan.FromMinutes(5));
        await Eventually.TrueAsync(async () => await b.IsEndedAsync("sid_1") && await b.GetRotationAsync("rt_1") is not null, "b has both");
        using var admin = await ConnectionMultiplexer.ConnectAsync(own.Address + ",allowAdmin=true");
        var server = admin.GetServer(own.Address);
        var before = DataCommands(await server.InfoAsync("commandstats"));
        var sentBefore = b.CommandsSent;

        for (var i = 0; i < 1000; i++)
        {
            Assert.True(await b.IsEndedAsync("sid_1"));
            Assert.False(await b.IsEndedAsync("sid_" + i + "_live"));
            Assert.NotNull(await b.GetRotationAsync("rt_1"));
            Assert.Null(await b.GetRotationAsync("rt_" + i + "_current"));
        }

        var after = DataCommands(await server.InfoAsync("commandstats"));
        Assert.Equal(sentBefore, b.CommandsSent);
        Assert.True(before > 0); // the writes above were counted: the counting works
        Assert.Equal(before, after);
    }

    /// <summary>Calls of every command but the connection's own housekeeping (INFO, PING, ECHO, CLIENT, CLUSTER, CONFIG, SUBSCRIBE).</summary>
    private static long DataCommands(IGrouping<string, KeyValuePair<string, string>>[] info)
    {
        var housekeeping = new[] { "info", "ping", "echo", "client", "cluster", "config", "subscribe", "hello", "select" };
        return info.SelectMany(g => g)
            .Where(p => p.Key.StartsWith("cmdstat_", StringComparison.Ordinal) && !housekeeping.Any(h => p.Key.StartsWith("cmdstat_" + h, StringComparison.Ordinal)))
            .Sum(p => long.Parse(p.Value.Split(',')[0].Split('=')[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Keys_are_under_the_prefix_and_carry_a_TTL()
    {
        var a = await ServerAsync();
        await a.SetRotationAsync("rt_1", new SessionRotation("sealed_2", "rt_2"), TimeSpan.FromMinutes(5));
        await a.MarkEndedAsync("sid_1", TimeSpan.FromMinutes(7));
        var db = Stores.Database(redis.Address);

        Assert.InRange((await db.KeyTimeToLiveAsync(_prefix + "rotation:rt_1"))!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        Assert.InRange((await db.KeyTimeToLiveAsync(_prefix + "ended:sid_1"))!.Value, TimeSpan.FromMinutes(6), TimeSpan.FromMinutes(7));
        Assert.Equal("rt_2\nsealed_2", (string?)await db.StringGetAsync(_prefix + "rotation:rt_1"));
        Assert.InRange((await db.KeyTimeToLiveAsync(_prefix + "prev:rt_2"))!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        Assert.Equal("rt_1", (string?)await db.StringGetAsync(_prefix + "prev:rt_2"));
        Assert.NotNull(await db.SortedSetScoreAsync(_prefix + "ended", "sid_1"));
    }

    [Fact]
    public async Task A_chain_of_rotations_written_by_several_servers_keeps_one_sealed_session_in_Redis_and_in_every_view()
    {
        var a = await ServerAsync();
        var b = await ServerAsync();
        var db = Stores.Database(redis.Address);
        var sealedSession = new string('s', 2000); // about a real sealed cookie

        // Four refreshes of one session, alternating servers: rt_0 -> rt_1 -> rt_2 -> rt_3 -> rt_4.
        for (var i = 0; i < 4; i++)
        {
            var server = i % 2 == 0 ? a : b;
            await server.SetRotationAsync("rt_" + i, new SessionRotation(sealedSession + i, "rt_" + (i + 1)), TimeSpan.FromMinutes(5));
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal($"rt_{i + 1}\n", (string?)await db.StringGetAsync(_prefix + "rotation:rt_" + i)); // a bare pointer
            Assert.InRange((await db.KeyTimeToLiveAsync(_prefix + "rotation:rt_" + i))!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5)); // its TTL kept
            Assert.False(await db.KeyExistsAsync(_prefix + "prev:rt_" + i)); // the link was used up
        }

        Assert.Equal("rt_4\n" + sealedSession + 3, (string?)await db.StringGetAsync(_prefix + "rotation:rt_3"));
        Assert.Equal("rt_3", (string?)await db.StringGetAsync(_prefix + "prev:rt_4")); // for the next refresh
        var stored = 0L;
        foreach (var key in new[] { "rotation:rt_0", "rotation:rt_1", "rotation:rt_2", "rotation:rt_3", "prev:rt_4" })
        {
            stored += await db.StringLengthAsync(_prefix + key);
        }

        Assert.InRange(stored, sealedSession.Length, sealedSession.Length + 100); // one sealed session, not four

        // Both servers' views followed: the superseded records are pointers there too, and the chain ends at the newest.
        foreach (var server in new[] { a, b })
        {
            await Eventually.TrueAsync(async () => (await server.GetRotationAsync("rt_0"))?.IsSuperseded == true
                && (await server.GetRotationAsync("rt_2"))?.IsSuperseded == true, "the view has the superseded records");
            var chain = new List<SessionRotation>();
            for (var key = "rt_0"; await server.GetRotationAsync(key) is { } next; key = next.SuccessorKey)
            {
                chain.Add(next);
            }

            Assert.Equal([true, true, true, false], chain.Select(r => r.IsSuperseded));
            Assert.Equal(sealedSession + 3, chain[^1].SealedSession);
        }
    }
}
