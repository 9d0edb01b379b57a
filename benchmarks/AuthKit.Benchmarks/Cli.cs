using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthKit.Benchmarks.Load;
using AuthKit.Benchmarks.Micro;

namespace AuthKit.Benchmarks;

/// <summary>Entry point: one sub-command per part of the benchmark run (see docs/benchmarks.md).</summary>
public static class Cli
{
    public const string Usage = """
        usage: AuthKit.Benchmarks <command> <out> [args]
          micro <out.json> [BenchmarkDotNet args]      items 1-4, 8 (BenchmarkDotNet, in-process short job)
          fixture <out.json> [cookies]                 cookies + JWKS for the Node side (item 5); default 64 cookies
          http <out.json> [seconds] [rounds] [conns]   item 6: AuthKit scheme vs cookie auth, requests/s; default 5 s, 3 rounds, 32
          redis-http <out.json> [seconds] [rounds] [conns]   item R: UseRedis vs the in-memory store, requests/s and Redis commands per request
          storm <out.json> [rounds] [sizes]                  item 7: refresh storms of 10, 100, 1000 against the emulator (child process);
                                                       default base 30: 900 storms of 10, 300 of 100, 60 of 1000
          cross-storm <out.json> [rounds] [servers] [sizes]  item R: the refresh storm across k servers on one Redis (k = 2, 4; N = 10, 100, 1000);
                                                       default base 30: 900 storms of 10, 300 of 100, 60 of 1000 (k=2) / 45 (k > 2)
          cross-signout <out.json> [rounds] [parallel]       item R: sign-out on server A to an open circuit on server B flipping; default 200 rounds, 4 at once
          probe -                                      diagnostics: per-thread CPU time of the cold-path pieces
          emulator-serve -                             (internal) runs an emulator, prints its URI, exits when stdin closes
          emulator <out.json> [seconds]                emulator start-up and authenticate calls/s; default 5 s
          report <artifacts dir> <RESULTS.md>          writes the results table from the JSON files above
        """;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var output = args[1];
        switch (args[0])
        {
            case "micro":
                return MicroRunner.Run(output, args[2..]);
            case "fixture":
                return Fixtures.NodeFixture.Write(output, Arg(args, 2, 64));
            case "http":
                Write(output, await HttpBenchmark.RunAsync(TimeSpan.FromSeconds(Arg(args, 2, 5)), Arg(args, 3, 3), new LoadGenerator(Arg(args, 4, 32))).ConfigureAwait(false));
                return 0;
            case "redis-http":
                Write(output, await RedisHttpBenchmark.RunAsync(TimeSpan.FromSeconds(Arg(args, 2, 5)), Arg(args, 3, 3), new LoadGenerator(Arg(args, 4, 32))).ConfigureAwait(false));
                return 0;
            case "storm":
                var stormRounds = Arg(args, 2, 30);
                int[] sizes = args.Length > 3 ? args[3].Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray() : [10, 100, 1000];
                Write(output, await RefreshStorm.RunAsync(sizes, singles: 300, n => n >= 1000 ? stormRounds * 2 : n >= 100 ? stormRounds * 10 : stormRounds * 30, childProcess: true).ConfigureAwait(false));
                return 0;
            case "cross-storm":
                var crossRounds = Arg(args, 2, 30);
                int[] servers = args.Length > 3 ? IntList(args[3]) : [2, 4];
                int[] crossSizes = args.Length > 4 ? IntList(args[4]) : [10, 100, 1000];
                Write(output, await CrossServerStorm.RunAsync(servers, crossSizes, singles: 300, (k, n) => CrossStormRounds(crossRounds, k, n), childProcess: true, maxWarmUpRounds: Quick ? 1 : 30).ConfigureAwait(false));
                return 0;
            case "cross-signout":
                Write(output, await CrossServerSignOut.RunAsync(Arg(args, 2, 200), Arg(args, 3, 4), warmUpRounds: Quick ? 2 : 8).ConfigureAwait(false));
                return 0;
            case "probe":
                return await Probe.RunAsync().ConfigureAwait(false);
            case "emulator-serve":
                return await StormUpstream.ServeAsync().ConfigureAwait(false);
            case "emulator":
                Write(output, await EmulatorBenchmark.RunAsync(TimeSpan.FromSeconds(Arg(args, 2, 5)), workers: 16, starts: 5).ConfigureAwait(false));
                return 0;
            case "report":
                return Report.ResultsWriter.Write(output, args.Length > 2 ? args[2] : Path.Combine(output, "RESULTS.md"));
            default:
                Console.Error.WriteLine(Usage);
                return 2;
        }
    }

    /// <summary>Storms per (k, N) for a base, as item 7 counts them: 30x for N=10, 10x for N=100, 2x for N=1000 (k=2), 1.5x for N=1000 with more servers (the step stays well under a minute and a half on 2 cores).</summary>
    public static int CrossStormRounds(int rounds, int servers, int n) =>
        Math.Max(1, n >= 1000 ? (servers > 2 ? rounds * 3 / 2 : rounds * 2) : n >= 100 ? rounds * 10 : rounds * 30);

    /// <summary><c>AUTHKIT_BENCH_QUICK=1</c> (<c>QUICK=1 run.sh</c>): the Redis steps skip most of their warm-up too.</summary>
    private static bool Quick => Environment.GetEnvironmentVariable("AUTHKIT_BENCH_QUICK") == "1";

    private static int[] IntList(string text) => text.Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray();

    private static int Arg(string[] args, int index, int fallback) =>
        args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

    public static void Write(string path, JsonNode node)
    {
        File.WriteAllText(path, node.ToJsonString(Indented));
        Console.WriteLine($"wrote {path}");
    }
}
