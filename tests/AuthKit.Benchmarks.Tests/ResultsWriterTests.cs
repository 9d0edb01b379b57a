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
    public void A_missed_target_is_marked_and_counted()
    {
        WriteMicro(warmNs: 10_000, ticketNs: 20_000, coldNs: 80_000, referenceNs: 50_000, warmAlloc: 5000);

        var results = Run();

        Assert.Contains("0.50x | <= 0.25x | **MISS** |", results);
        Assert.Contains("1.60x | <= 1.3x | **MISS** |", results);
        Assert.Contains("5000 B |  |  | < 4096 B | **MISS** |", results);
        Assert.Contains("target(s) missed", results);
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
