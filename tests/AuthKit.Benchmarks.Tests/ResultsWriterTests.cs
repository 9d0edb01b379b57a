using System.Text.Json.Nodes;
using AuthKit.Benchmarks.Report;

namespace AuthKit.Benchmarks.Tests;

public sealed class ResultsWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("authkit-bench-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Targets_are_judged_from_the_measured_ratios()
    {
        WriteMicro(warmNs: 2_000, ticketNs: 20_000, coldNs: 60_000, referenceNs: 50_000, warmAlloc: 200);
        Write("node.json", new JsonObject { ["node"] = "v20", ["cookieLength"] = 2000, ["sameCookie"] = new JsonObject { ["opsPerSec"] = 1000.0 }, ["distinctCookies"] = new JsonObject { ["opsPerSec"] = 1000.0 } });
        Write("http.json", new JsonObject { ["authKitRps"] = 9000.0, ["cookieRps"] = 10000.0, ["rounds"] = 3, ["secondsPerRun"] = 5.0, ["loadGenerator"] = "wrk", ["failures"] = 0L });

        var results = Run();

        Assert.Contains("| 3 | `WithAuthAsync` warm (same cookie again) | 2.00 µs | ticket unprotect 20.00 µs | 0.10x | <= 0.25x | pass |", results);
        Assert.Contains("| <= 1.3x | pass |", results);
        Assert.Contains("| 0.90x | >= 0.9x | pass |", results);
        Assert.Contains("500x | >= 100x | pass |", results); // 1e9 / 2000 ns = 500,000 ops/s vs 1,000
        Assert.Contains("| 17x | >= 15x | pass |", results); // 1e9 / 60,000 ns = 16,667 ops/s vs 1,000
    }

    [Fact]
    public void The_Redis_rows_judge_the_ratio_to_the_in_memory_store_and_the_commands_per_warm_request()
    {
        WriteMicro(warmNs: 2_000, ticketNs: 20_000, coldNs: 60_000, referenceNs: 50_000, warmAlloc: 200);
        Write("redis-http.json", new JsonObject
        {
            ["memoryRps"] = 20000.0, ["redisRps"] = 19000.0, ["redisRequests"] = 100000L, ["redisCommands"] = 0L, ["failures"] = 0L,
            ["rounds"] = 3, ["secondsPerRun"] = 5.0, ["loadGenerator"] = "wrk", ["redisVersion"] = "7.0.15",
        });
        var passing = Run();
        Write("redis-http.json", new JsonObject
        {
            ["memoryRps"] = 20000.0, ["redisRps"] = 10000.0, ["redisRequests"] = 100000L, ["redisCommands"] = 200000L, ["failures"] = 0L,
            ["rounds"] = 3, ["secondsPerRun"] = 5.0, ["loadGenerator"] = "wrk", ["redisVersion"] = "7.0.15",
        });
        var missing = Run();

        Assert.Contains("| in-memory store 20,000 req/s | 0.95x | >= 0.9x | pass |", passing);
        Assert.Contains("| 0 in 100,000 requests |  |  | 0 | pass |", passing);
        Assert.Contains("| in-memory store 20,000 req/s | 0.50x | >= 0.9x | **MISS** |", missing);
        Assert.Contains("| 200000 in 100,000 requests |  |  | 0 | **MISS** |", missing);
    }

    [Fact]
    public void A_missed_target_is_marked_and_counted()
    {
        WriteMicro(warmNs: 10_000, ticketNs: 20_000, coldNs: 80_000, referenceNs: 50_000, warmAlloc: 5000);

        var results = Run();

        Assert.Contains("0.50x | <= 0.25x | **MISS** |", results);
        Assert.Contains("1.60x | <= 1.3x | **MISS** |", results);
        Assert.Contains("5000 B |  |  | < 4096 B | **MISS** |", results);
        Assert.Contains("target(s) missed", results);
    }

    [Fact]
    public void A_storm_p99_is_judged_per_storm_on_what_nine_storms_in_ten_meet_and_the_pooled_tail_is_information()
    {
        WriteMicro(warmNs: 2_000, ticketNs: 20_000, coldNs: 60_000, referenceNs: 50_000, warmAlloc: 200);
        JsonObject Storm(int n, double p90, int[] calls) => new()
        {
            ["n"] = n, ["rounds"] = calls.Length, ["refreshCallsPerStorm"] = new JsonArray(calls.Select(c => (JsonNode)c).ToArray()),
            ["maxRefreshCalls"] = calls.Max(), ["minRefreshCalls"] = calls.Min(), ["notRefreshed"] = 0,
            ["p50Ms"] = 1.0, ["p99Ms"] = 9.0, ["medianStormP99Ms"] = 1.5, ["p90StormP99Ms"] = p90, ["worstStormP99Ms"] = 9.5,
            ["fromReleaseP99Ms"] = 9.1, ["harnessFloorP99Ms"] = 0.5, ["stormsWithCollection"] = 1,
        };
        Write("storm.json", new JsonObject
        {
            ["singleRefreshMedianMs"] = 1.0, ["singleRefreshRuns"] = 300, ["singleRefreshP99Ms"] = 3.0,
            ["storms"] = new JsonArray(Storm(10, 2.5, [1, 1, 1]), Storm(1000, 3.2, [1, 2, 1])),
        });

        var results = Run();

        Assert.Contains("| 7 | Refresh storm N=10: p99 latency of `WithAuthAsync` in a storm, met by 9 storms in 10 (p90 over 3 storms) | 2.50 ms (storms' p99: median 1.50 ms, worst 9.50 ms) | lone refresh 1.00 ms (median of 300) | 2.50x | p99 < 3x | pass |", results);
        Assert.Contains("| 3.20x | p99 < 3x | **MISS** |", results);
        Assert.Contains("| 7 | Refresh storm N=10: upstream refresh calls per storm | 1 in each of 3 storms |  |  | exactly 1 | pass |", results);
        Assert.Contains("| 7 | Refresh storm N=1000: upstream refresh calls per storm | 1, 2, 1 |  |  | exactly 1 | **MISS** |", results);
        // The pooled tail (9 ms, 9x the lone median) is shown with its ratio and judges nothing.
        Assert.Contains("| 7 | Refresh storm N=10: p50 / p99 latency of every request of every storm, pooled (information) | 1.00 / 9.00 ms (from the release of all N: p99 9.10 ms; harness alone: p99 0.50 ms; storms with a GC here: 1; 3.00x of the lone p99 3.00 ms) | lone refresh 1.00 ms (median of 300) | 9.00x |  |  |", results);
    }

    private string Run()
    {
        var path = Path.Combine(_dir, "RESULTS.md");
        Assert.Equal(0, ResultsWriter.Write(_dir, path));
        return File.ReadAllText(path);
    }

    private void WriteMicro(double warmNs, double ticketNs, double coldNs, double referenceNs, double warmAlloc)
    {
        JsonObject R(double ns, double alloc = 1000) => new() { ["meanNs"] = ns, ["allocatedBytes"] = alloc };
        Write("micro.json", new JsonObject
        {
            ["WithAuthBenchmarks.WithAuthWarm"] = R(warmNs, warmAlloc),
            ["WithAuthBenchmarks.WithAuthCold"] = R(coldNs),
            ["WithAuthBenchmarks.UnsealAndVerify"] = R(referenceNs),
            ["WithAuthBenchmarks.TicketUnprotect"] = R(ticketNs),
            ["TokenBenchmarks.BareValidate"] = R(40_000),
        });
    }

    private void Write(string name, JsonNode node) => File.WriteAllText(Path.Combine(_dir, name), node.ToJsonString());
}
