using AuthKit.Benchmarks.Micro;

namespace AuthKit.Benchmarks;

/// <summary>Entry point: one sub-command per part of the benchmark run (see docs/benchmarks.md).</summary>
public static class Cli
{
    public const string Usage = """
        usage: AuthKit.Benchmarks <command> [args]
          micro <out.json> [BenchmarkDotNet args]   items 1-4, 8 (BenchmarkDotNet)
          fixture <out.json> [count]                cookies + JWKS for the Node side (item 5)
          http <out.json> [seconds] [rounds]        item 6: AuthKit scheme vs cookie auth, requests/s (wrk, else in-process client)
          storm <out.json>                          item 7: refresh storm against the emulator
          emulator <out.json> [seconds]             emulator start-up and authenticate calls/s
          report <artifacts dir> <RESULTS.md>       writes the results table
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        return args[0] switch
        {
            "micro" => MicroRunner.Run(args[1], args[2..]),
            "fixture" => Fixtures.NodeFixture.Write(args[1], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 64),
            _ => Fail(),
        };

        static int Fail()
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
    }
}
