using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;

namespace AuthKit.Benchmarks.Report;

/// <summary>Turns the JSON files of one run into <c>benchmarks/RESULTS.md</c>: each figure, its baseline, the ratio, the target, pass/miss.</summary>
public static class ResultsWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Write(string artifactsDir, string resultsPath)
    {
        var micro = Load(artifactsDir, "micro.json");
        var node = Load(artifactsDir, "node.json");
        var http = Load(artifactsDir, "http.json");
        var storm = Load(artifactsDir, "storm.json");
        var emulator = Load(artifactsDir, "emulator.json");
        var rows = new List<Row>();
        var misses = 0;

        void Add(string item, string figure, string value, string baseline = "", string ratio = "", string target = "", bool? pass = null)
        {
            rows.Add(new Row(item, figure, value, baseline, ratio, target, pass switch { true => "pass", false => "**MISS**", null => "" }));
            if (pass == false) misses++;
        }

        double? Mean(string name) => micro?[name]?["meanNs"]?.GetValue<double>();
        double? Alloc(string name) => micro?[name]?["allocatedBytes"]?.GetValue<double>();
        string Us(double? ns) => ns is { } v ? (v / 1000).ToString("0.00", Inv) + " µs" : "n/a";
        string Bytes(double? b) => b is { } v ? v.ToString("0", Inv) + " B" : "n/a";
        string X(double? r) => r is { } v ? v.ToString(v < 10 ? "0.00" : "0", Inv) + "x" : "n/a";
        string Ops(double? v) => v is { } o ? o.ToString("N0", Inv) + " ops/s" : "n/a";

        // 1. Sealing
        foreach (var (name, label) in new[]
        {
            ("SealingBenchmarks.Unseal", "`IronSeal.Unseal` of the session cookie"),
            ("SealingBenchmarks.Seal", "`IronSeal.Seal` of the session JSON"),
            ("SealingBenchmarks.UnsealSession", "Typed session read (`SessionEncryption.UnsealSession`)"),
            ("SealingBenchmarks.SealSession", "Typed session write (`SessionEncryption.SealSession`)"),
        })
        {
            Add("1", label, $"{Us(Mean(name))}, {Bytes(Alloc(name))}");
        }

        // 2. Tokens (info; ratio to the bare handler)
        var bare = Mean("TokenBenchmarks.BareValidate");
        foreach (var (name, label) in new[]
        {
            ("TokenBenchmarks.VerifyFirstSight", "Access-token verification, first sight of a token"),
            ("TokenBenchmarks.VerifySameToken", "Access-token verification, same token again"),
            ("TokenBenchmarks.VerifyColdStart", "New verifier's first token (JWKS load from memory + verify)"),
        })
        {
            Add("2", label, $"{Us(Mean(name))}, {Bytes(Alloc(name))}", "bare JWT " + Us(bare), X(Mean(name) / bare));
        }

        // 3, 4, 8. WithAuth
        var ticket = Mean("WithAuthBenchmarks.TicketUnprotect");
        var reference = Mean("WithAuthBenchmarks.UnsealAndVerify");
        var warm = Mean("WithAuthBenchmarks.WithAuthWarm");
        var cold = Mean("WithAuthBenchmarks.WithAuthCold");
        Add("4", "Baseline: ASP.NET Core `TicketDataFormat.Unprotect` (same claims + tokens)", $"{Us(ticket)}, {Bytes(Alloc("WithAuthBenchmarks.TicketUnprotect"))}");
        Add("4", "Baseline: bare `JsonWebTokenHandler.ValidateTokenAsync` (same token)", $"{Us(bare)}, {Bytes(Alloc("TokenBenchmarks.BareValidate"))}");
        Add("3", "Reference: unseal + one bare RS256 verification", $"{Us(reference)}, {Bytes(Alloc("WithAuthBenchmarks.UnsealAndVerify"))}");
        Add("3", "`WithAuthAsync` warm (same cookie again)", Us(warm), "ticket unprotect " + Us(ticket), X(warm / ticket), "<= 0.25x", warm / ticket <= 0.25);
        Add("3", "`WithAuthAsync` cold (first sight of a cookie)", Us(cold), "unseal + verify " + Us(reference), X(cold / reference), "<= 1.3x", cold / reference <= 1.3);
        Add("8", "Allocated per warm `WithAuthAsync`", Bytes(Alloc("WithAuthBenchmarks.WithAuthWarm")), "", "", "< 4096 B", Alloc("WithAuthBenchmarks.WithAuthWarm") < 4096);
        Add("8", "Allocated per cold `WithAuthAsync`", Bytes(Alloc("WithAuthBenchmarks.WithAuthCold")), "ticket unprotect " + Bytes(Alloc("WithAuthBenchmarks.TicketUnprotect")));

        // 5. Node
        var nodeSame = node?["sameCookie"]?["opsPerSec"]?.GetValue<double>();
        var nodeDistinct = node?["distinctCookies"]?["opsPerSec"]?.GetValue<double>();
        var warmOps = 1e9 / warm;
        var coldOps = 1e9 / cold;
        Add("5", "Node `AuthService.withAuth`, same cookie again", nodeSame is null ? "n/a (node.json missing)" : Ops(nodeSame) + $" ({(1e6 / nodeSame)?.ToString("0", Inv)} µs/op)");
        Add("5", "Node `AuthService.withAuth`, distinct cookies", nodeDistinct is null ? "n/a" : Ops(nodeDistinct) + $" ({(1e6 / nodeDistinct)?.ToString("0", Inv)} µs/op)");
        Add("5", "Warm `WithAuthAsync` throughput vs Node (same cookie)", Ops(warmOps), "Node " + Ops(nodeSame), X(warmOps / nodeSame), ">= 100x", warmOps / nodeSame >= 100);
        Add("5", "Cold `WithAuthAsync` throughput vs Node (distinct cookies)", Ops(coldOps), "Node " + Ops(nodeDistinct), X(coldOps / nodeDistinct), ">= 15x", coldOps / nodeDistinct >= 15);

        // 6. HTTP
        var authKitRps = http?["authKitRps"]?.GetValue<double>();
        var cookieRps = http?["cookieRps"]?.GetValue<double>();
        Add("6", $"HTTP `[Authorize]` endpoint, AuthKit scheme ({http?["loadGenerator"]}, median of {http?["rounds"]} x {http?["secondsPerRun"]} s)",
            authKitRps is null ? "n/a" : authKitRps.Value.ToString("N0", Inv) + " req/s", cookieRps is null ? "" : "cookie auth " + cookieRps.Value.ToString("N0", Inv) + " req/s",
            X(authKitRps / cookieRps), ">= 0.9x", authKitRps / cookieRps >= 0.9);
        if (http?["failures"]?.GetValue<long>() is > 0 and var failures)
        {
            Add("6", "HTTP requests that were not 200", failures.ToString(Inv), "", "", "0", false);
        }

        // R. The Redis store on a warm request
        var redisHttp = Load(artifactsDir, "redis-http.json");
        if (redisHttp is not null)
        {
            var memoryRps = redisHttp["memoryRps"]!.GetValue<double>();
            var redisRps = redisHttp["redisRps"]!.GetValue<double>();
            Add("R", $"HTTP `[Authorize]` endpoint, AuthKit with `UseRedis` (Redis {redisHttp["redisVersion"]}, {redisHttp["loadGenerator"]}, median of {redisHttp["rounds"]} x {redisHttp["secondsPerRun"]} s)",
                redisRps.ToString("N0", Inv) + " req/s", "in-memory store " + memoryRps.ToString("N0", Inv) + " req/s",
                X(redisRps / memoryRps), ">= 0.9x", redisRps / memoryRps >= 0.9);
            var commands = redisHttp["redisCommands"]!.GetValue<long>();
            var requests = redisHttp["redisRequests"]!.GetValue<long>();
            Add("R", "Redis commands per warm request (`INFO commandstats` around the Redis rounds, connection housekeeping excluded)",
                $"{commands.ToString(Inv)} in {requests.ToString("N0", Inv)} requests", "", "", "0", commands == 0);
            if (redisHttp["failures"]?.GetValue<long>() is > 0 and var redisFailures)
            {
                Add("R", "HTTP requests that were not 200 (Redis rows)", redisFailures.ToString(Inv), "", "", "0", false);
            }
        }

        // 7. Refresh storm
        var single = storm?["singleRefreshMedianMs"]?.GetValue<double>();
        foreach (var s in storm?["storms"]?.AsArray() ?? [])
        {
            var n = s!["n"]!.GetValue<int>();
            var perStorm = s["refreshCallsPerStorm"]!.AsArray().Select(c => c!.GetValue<int>()).ToArray();
            var calls = perStorm.Distinct().Count() == 1 ? $"{perStorm[0]} in each of {perStorm.Length} storms" : string.Join(", ", perStorm);
            var exactlyOne = s["maxRefreshCalls"]!.GetValue<int>() == 1 && s["minRefreshCalls"]!.GetValue<int>() == 1 && s["notRefreshed"]!.GetValue<int>() == 0;
            Add("7", $"Refresh storm N={n}: upstream refresh calls per storm", calls, "", "", "exactly 1", exactlyOne);
            var p50 = s["p50Ms"]!.GetValue<double>();
            var p99 = s["p99Ms"]!.GetValue<double>();
            var stormP99 = s["p90StormP99Ms"]!.GetValue<double>();
            var releaseP99 = s["fromReleaseP99Ms"]?.GetValue<double>();
            var singleP99 = storm?["singleRefreshP99Ms"]?.GetValue<double>();
            var lone = $"lone refresh {single:0.00} ms (median of {storm?["singleRefreshRuns"]})";
            Add("7", $"Refresh storm N={n}: p99 latency of `WithAuthAsync` in a storm, met by 9 storms in 10 (p90 over {s["rounds"]} storms)",
                $"{stormP99:0.00} ms (storms' p99: median {s["medianStormP99Ms"]?.GetValue<double>():0.00} ms, worst {s["worstStormP99Ms"]?.GetValue<double>():0.00} ms)",
                lone, X(stormP99 / single), "p99 < 3x", stormP99 / single < 3);
            Add("7", $"Refresh storm N={n}: p50 / p99 latency of every request of every storm, pooled (information)",
                $"{p50:0.00} / {p99:0.00} ms (from the release of all N: p99 {releaseP99:0.00} ms; harness alone: p99 {s["harnessFloorP99Ms"]?.GetValue<double>():0.00} ms; storms with a GC here: {s["stormsWithCollection"]}; {X(p99 / singleP99)} of the lone p99 {singleP99:0.00} ms)",
                lone, X(p99 / single));
        }

        // R. Several servers on one Redis: the refresh storm across servers, and a sign-out reaching another server's circuit
        var crossStorm = Load(artifactsDir, "cross-storm.json");
        if (crossStorm is not null)
        {
            var lone = crossStorm["singleRefreshMedianMs"]!.GetValue<double>();
            var loneText = $"lone refresh on one server, same Redis store {lone:0.00} ms (median of {crossStorm["singleRefreshRuns"]})";
            foreach (var s in crossStorm["storms"]!.AsArray())
            {
                var k = s!["servers"]!.GetValue<int>();
                var n = s["n"]!.GetValue<int>();
                var perStorm = s["refreshCallsPerStorm"]!.AsArray().Select(c => c!.GetValue<int>()).ToArray();
                var calls = perStorm.Distinct().Count() == 1 ? $"{perStorm[0]} in each of {perStorm.Length} storms" : string.Join(", ", perStorm);
                var notAuthenticated = s["notAuthenticated"]!.GetValue<int>();
                var requests = (long)n * perStorm.Length;
                var label = $"Cross-server refresh storm, k={k} servers on one Redis, N={n} (round-robin over the servers)";
                Add("R", $"{label}: upstream refresh calls per storm; requests not authenticated ({crossStorm["entryPoint"]})",
                    $"{calls}; {notAuthenticated.ToString(Inv)} of {requests.ToString("N0", Inv)} not authenticated", "", "", "exactly 1; 0",
                    s["maxRefreshCalls"]!.GetValue<int>() == 1 && s["minRefreshCalls"]!.GetValue<int>() == 1 && notAuthenticated == 0);
                var stormP99 = s["p90StormP99Ms"]!.GetValue<double>();
                Add("R", $"{label}: p99 latency of `WithAuthAsync` in a storm, met by 9 storms in 10 (p90 over {s["rounds"]} storms)",
                    $"{stormP99:0.00} ms (storms' p99: median {s["medianStormP99Ms"]!.GetValue<double>():0.00} ms, worst {s["worstStormP99Ms"]!.GetValue<double>():0.00} ms; lone refresh just before: {s["loneBatchMedianMs"]?.GetValue<double>():0.00} ms)",
                    loneText, X(stormP99 / lone), "p99 < 3x", stormP99 / lone < 3);
                var pooledP99 = s["p99Ms"]!.GetValue<double>();
                Add("R", $"{label}: p50 / p99 latency of every request of every storm, pooled (information)",
                    $"{s["p50Ms"]!.GetValue<double>():0.00} / {pooledP99:0.00} ms (from the release of all N: p99 {s["fromReleaseP99Ms"]!.GetValue<double>():0.00} ms; storms with a GC here: {s["stormsWithCollection"]})",
                    loneText, X(pooledP99 / lone));
            }
        }

        var crossSignOut = Load(artifactsDir, "cross-signout.json");
        if (crossSignOut is not null)
        {
            double Ms(string name) => crossSignOut[name]!.GetValue<double>();
            var notFlipped = crossSignOut["notFlipped"]!.GetValue<int>();
            Add("R", $"Sign-out on server A reaching an open circuit of that session on server B (one Redis; {crossSignOut["entryPoint"]}; until B's `AuthenticationStateChanged` reports an anonymous user; {crossSignOut["rounds"]} rounds, a fresh session each, {crossSignOut["parallel"]} at once): p50 / p99 from the start of the sign-out POST",
                $"{Ms("fromStartP50Ms"):0.0} / {Ms("fromStartP99Ms"):0.0} ms (from the POST's response: {Ms("fromReturnP50Ms"):0.0} / {Ms("fromReturnP99Ms"):0.0} ms; worst {Ms("fromStartMaxMs"):0} ms; the POST itself p50 {Ms("signOutCallP50Ms"):0.0} ms{(notFlipped > 0 ? $"; **{notFlipped} circuit(s) still signed in 5 s after the sign-out**, left out of the percentiles" : "")})",
                "", "", "p99 < 1 s", Ms("fromStartP99Ms") < 1000 && notFlipped == 0);
        }

        // Emulator (issue 4)
        var eStart = emulator?["laterStartMedianMs"]?.GetValue<double>();
        var eFirst = emulator?["firstStartMs"]?.GetValue<double>();
        var ePerSec = emulator?["authenticatePerSec"]?.GetValue<double>();
        Add("E", "Emulator start-up (first in process, incl. JIT / later median)", eFirst is null ? "n/a" : $"{eFirst:0} ms / {eStart:0.0} ms", "", "", "< 1 s", eFirst < 1000);
        Add("E", $"Emulator authenticate calls/s (refresh grant, {emulator?["workers"]} concurrent clients)", ePerSec is null ? "n/a" : ePerSec.Value.ToString("N0", Inv) + "/s", "", "", ">= 1,000/s", ePerSec >= 1000);

        var sb = new StringBuilder();
        sb.AppendLine("# Benchmark results");
        sb.AppendLine();
        sb.AppendLine($"Written by `benchmarks/run.sh` on {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC. Method, definitions of cold/warm and how to rerun: `docs/benchmarks.md`.");
        sb.AppendLine();
        sb.AppendLine(misses == 0 ? "**All targets met.**" : $"**{misses} target(s) missed** (marked MISS).");
        sb.AppendLine();
        sb.AppendLine("| # | Figure | Value | Baseline | Ratio | Target | Result |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            sb.AppendLine($"| {r.Item} | {r.Figure} | {r.Value} | {r.Baseline} | {r.Ratio} | {r.Target} | {r.Result} |");
        }

        sb.AppendLine();
        sb.AppendLine("Numbers are means of a short BenchmarkDotNet job (items 1-4, 8; single thread), ops/s = 1 / mean for the Node comparison");
        sb.AppendLine("(the Node script also runs one `withAuth` at a time). Sealed cookie: " + (node?["cookieLength"]?.ToString() ?? "?") + " chars.");
        sb.AppendLine();
        sb.AppendLine("Reading the storm rows (item 7): a storm's p99 is the 99th percentile of its N requests' `WithAuthAsync` latency");
        sb.AppendLine("(for N=10, the slowest of the ten). It is measured over many storms, and the value 9 storms in 10 stay under is");
        sb.AppendLine("judged against the median lone refresh (a storm of one through the same harness); the median and the worst storm");
        sb.AppendLine("are shown beside it. The pooled row puts every request of every storm in one distribution. A storm's N requests");
        sb.AppendLine("share one upstream refresh, so they are one sample of it, not N: the pooled p99 is decided by the one or two storms");
        sb.AppendLine("whose refresh met a stall of this shared machine, most often a GC of this process during the storm (counted in the");
        sb.AppendLine("row). It is shown for information, beside its ratio to the lone median. Method and history: `docs/benchmarks.md`.");
        sb.AppendLine();
        if (crossStorm is not null || crossSignOut is not null)
        {
            sb.AppendLine("Reading the cross-server rows (item R): k servers are k AuthKit hosts in this process, each its own container with");
            sb.AppendLine("`UseRedis` (own multiplexer, local view, engine and single flight), on one redis-server; the emulator is shared. The");
            sb.AppendLine("storm rows are judged as item 7's, against a lone refresh on one server with the same Redis store (it takes the Redis");
            sb.AppendLine("lease and records the rotation, so it is slower than item 7's lone refresh). The sign-out row times a real sign-out");
            sb.AppendLine("POST on one server until an open circuit of that session on another server reports an anonymous user (the pub/sub");
            sb.AppendLine("push, the circuit's revalidation from its local view, and the state change).");
            sb.AppendLine();
        }

        sb.AppendLine("## Machine");
        sb.AppendLine();
        foreach (var (k, v) in MachineInfo(artifactsDir, node))
        {
            sb.AppendLine($"- {k}: {v}");
        }

        File.WriteAllText(resultsPath, sb.ToString());
        Console.WriteLine(sb.ToString());
        Console.WriteLine($"report: {rows.Count} rows, {misses} missed -> {resultsPath}");
        return 0;
    }

    private static IEnumerable<(string, string)> MachineInfo(string artifactsDir, JsonNode? node)
    {
        string cpu = "unknown";
        if (File.Exists("/proc/cpuinfo"))
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }

        var os = RuntimeInformation.OSDescription;
        if (File.Exists("/etc/os-release"))
        {
            var kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "";
            os = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"') + $", Linux {kernel}";
        }

        yield return ("CPU", $"{cpu}, {Environment.ProcessorCount} logical cores");
        yield return ("OS", os);
        yield return (".NET", $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.ProcessArchitecture}), workstation GC, BenchmarkDotNet 0.15.8 in-process");
        yield return ("Node", node?["node"]?.ToString() ?? "n/a");
        var start = Path.Combine(artifactsDir, "loadavg-start.txt");
        var end = Path.Combine(artifactsDir, "loadavg-end.txt");
        yield return ("Load average (1/5/15 min) at start / end", $"{Read(start)} / {Read(end)} (the machine is shared; a load above ~2 means other work competed with the run)");

        var mode = Path.Combine(artifactsDir, "mode.txt");
        if (File.Exists(mode) && File.ReadAllText(mode).Trim() == "quick")
        {
            yield return ("Mode", "**QUICK** (dry BenchmarkDotNet job, 1-2 s loads): a sanity pass, the numbers are not meaningful");
        }

        static string Read(string path) => File.Exists(path) ? string.Join(' ', File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(3)) : "n/a";
    }

    private static JsonNode? Load(string dir, string file)
    {
        var path = Path.Combine(dir, file);
        return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) : null;
    }

    private sealed record Row(string Item, string Figure, string Value, string Baseline, string Ratio, string Target, string Result);
}
