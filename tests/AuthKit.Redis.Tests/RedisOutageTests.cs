using System.Diagnostics;
using AuthKit.Redis.Internal;
using AuthKit.Redis.Tests.TestSupport;
using AuthKit.Session;
using Xunit.Abstractions;

namespace AuthKit.Redis.Tests;

/// <summary>
/// A dedicated redis-server paused (SIGSTOP) or killed under two stores: every call returns within 1 s without an
/// exception, the lease falls back to a local one, a sign-out stays refused on the server that recorded it; when Redis is
/// back the stores resubscribe, reconcile (writing back what Redis missed) and propagate again.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RedisOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(1);
    private readonly string _prefix = SharedRedis.NewPrefix();
    private RedisServerProcess _redis = null!;
    private RedisSessionStore _a = null!;
    private RedisSessionStore _b = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServerProcess.StartAsync();
        _a = await Stores.StartedAsync(Options());
        _b = await Stores.StartedAsync(Options());
    }

    public Task DisposeAsync()
    {
        _a.Dispose();
        _b.Dispose();
        _redis.Dispose();
        return Task.CompletedTask;
    }

    private RedisSessionStoreOptions Options() => new() { Configuration = _redis.Address, KeyPrefix = _prefix, BreakDuration = TimeSpan.FromMilliseconds(500) };

    [Fact]
    public async Task While_Redis_is_paused_every_call_returns_quickly_and_after_it_resumes_the_view_is_reconciled()
    {
        await _a.MarkEndedAsync("sid_before", TimeSpan.FromMinutes(5));
        await Eventually.TrueAsync(async () => await _b.IsEndedAsync("sid_before"), "b heard sid_before");

        _redis.Pause();
        var slowest = await EveryCallDuringTheOutageAsync(_a, "sid_during");
        Assert.True(await _a.IsEndedAsync("sid_during")); // refused on the server that signed it out
        Assert.True(await _b.IsEndedAsync("sid_before")); // b still knows what it heard before

        _redis.Resume();
        await Eventually.TrueAsync(() => _a.IsSynced && _b.IsSynced && !_a.IsBreakerOpen, "both stores reconciled");
        await Eventually.TrueAsync(async () => await _b.IsEndedAsync("sid_during"), "a wrote sid_during back and b learned it");
        await _b.MarkEndedAsync("sid_after", TimeSpan.FromMinutes(5));
        await Eventually.TrueAsync(async () => await _a.IsEndedAsync("sid_after"), "pub/sub works again");
        var lease = await _a.TryAcquireRefreshLeaseAsync("rt_after|", TimeSpan.FromSeconds(10));

        output.WriteLine($"slowest store call while Redis was away: {slowest.TotalMilliseconds:0} ms");
        Assert.InRange(slowest, TimeSpan.Zero, Budget);
        Assert.False(lease!.Token.StartsWith("local:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_Redis_is_killed_and_restarted_empty_the_servers_write_back_the_ended_sessions_they_know()
    {
        await _a.MarkEndedAsync("sid_before", TimeSpan.FromMinutes(5));
        await Eventually.TrueAsync(async () => await _b.IsEndedAsync("sid_before"), "b heard sid_before");

        _redis.Kill();
        var slowest = await EveryCallDuringTheOutageAsync(_a, "sid_during");

        await _redis.RestartAsync(); // no persistence: it comes back empty
        await Eventually.TrueAsync(() => _a.IsSynced && _b.IsSynced && !_a.IsBreakerOpen && !_b.IsBreakerOpen, "both stores reconnected and reconciled", TimeSpan.FromSeconds(20));
        using var fresh = await Stores.StartedAsync(Options()); // a server started after the restart
        await Eventually.TrueAsync(async () => await fresh.IsEndedAsync("sid_before") && await fresh.IsEndedAsync("sid_during"), "the restarted Redis has both ended sessions again");
        Assert.True(await _b.IsEndedAsync("sid_during"));
        await _b.MarkEndedAsync("sid_after", TimeSpan.FromMinutes(5));
        await Eventually.TrueAsync(async () => await _a.IsEndedAsync("sid_after"), "pub/sub works again after the restart");

        output.WriteLine($"slowest store call while Redis was away: {slowest.TotalMilliseconds:0} ms");
        Assert.InRange(slowest, TimeSpan.Zero, Budget);
    }

    [Fact]
    public async Task A_server_whose_Redis_is_down_at_start_works_locally_and_joins_when_Redis_comes_up()
    {
        _redis.Kill();
        using var late = Stores.Create(Options());
        late.Start();

        var slowest = await EveryCallDuringTheOutageAsync(late, "sid_local");
        await _redis.RestartAsync();
        await Eventually.TrueAsync(() => late.IsSynced && _a.IsSynced, "the late store connected and reconciled", TimeSpan.FromSeconds(20));
        await _a.MarkEndedAsync("sid_shared", TimeSpan.FromMinutes(5));
        await Eventually.TrueAsync(async () => await late.IsEndedAsync("sid_shared"), "the late store hears the others");
        await Eventually.TrueAsync(async () => await _a.IsEndedAsync("sid_local"), "the others learn what it recorded while down");

        output.WriteLine($"slowest store call while Redis was away: {slowest.TotalMilliseconds:0} ms");
        Assert.InRange(slowest, TimeSpan.Zero, Budget);
    }

    /// <summary>Every store call, repeatedly, while Redis is away: none throws, the lease is a local one, and the slowest call is returned.</summary>
    private static async Task<TimeSpan> EveryCallDuringTheOutageAsync(RedisSessionStore store, string endedKey)
    {
        var slowest = TimeSpan.Zero;
        async Task<T> Timed<T>(Func<ValueTask<T>> call)
        {
            var watch = Stopwatch.StartNew();
            var result = await call();
            slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
            return result;
        }

        for (var i = 0; i < 15; i++)
        {
            var key = "rt_down_" + i;
            var lease = await Timed(() => store.TryAcquireRefreshLeaseAsync(key + "|", TimeSpan.FromSeconds(10)));
            Assert.NotNull(lease);
            Assert.StartsWith("local:", lease!.Token, StringComparison.Ordinal); // the per-process single flight
            Assert.Null(await Timed(() => store.TryAcquireRefreshLeaseAsync(key + "|", TimeSpan.FromSeconds(10)))); // still one holder here
            Assert.True(await Timed(() => store.RenewRefreshLeaseAsync(lease, TimeSpan.FromSeconds(10))));
            await Timed(async () => { await store.SetRotationAsync(key, new SessionRotation("sealed", key + "_next"), TimeSpan.FromMinutes(5)); return 0; });
            Assert.NotNull(await Timed(() => store.GetRotationAsync(key)));
            Assert.Null(await Timed(() => store.GetRotationAsync(key + "_next")));
            await Timed(async () => { await store.ReleaseRefreshLeaseAsync(lease); return 0; });
            await Timed(async () => { await store.MarkEndedAsync(endedKey, TimeSpan.FromMinutes(5)); return 0; });
            Assert.True(await Timed(() => store.IsEndedAsync(endedKey)));
            Assert.False(await Timed(() => store.IsEndedAsync("sid_live_" + i)));
            await Task.Delay(50); // spread over the breaker's half-open probes
        }

        return slowest;
    }
}
