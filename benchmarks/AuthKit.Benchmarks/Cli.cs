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

    private static int Arg(string[] args, int index, int fallback) =>
        args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

    public static void Write(string path, JsonNode node)
    {
        File.WriteAllText(path, node.ToJsonString(Indented));
        Console.WriteLine($"wrote {path}");
    }
}
