using System.Text.Json.Nodes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using Perfolizer.Horology;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace AuthKit.Benchmarks.Micro;

/// <summary>Runs the BenchmarkDotNet benchmarks in one joined run and writes <c>micro.json</c> (mean ns, allocated bytes per op).</summary>
public static class MicroRunner
{
    public static readonly Type[] Types = [typeof(SealingBenchmarks), typeof(TokenBenchmarks), typeof(WithAuthBenchmarks)];

    /// <summary>
    /// A short job: in-process (no generated project to build), 1 launch, 3 warm-up and 8 measured iterations of ~250 ms.
    /// Enough for stable means on these microsecond-scale operations; a full run takes about two minutes.
    /// </summary>
    /// <remarks>With the environment variable <c>AUTHKIT_BENCH_QUICK=1</c>, a dry job instead (one invocation each; sanity only).</remarks>
    public static IConfig CreateConfig(string artifactsPath) =>
        ManualConfig.CreateEmpty()
            .AddJob(Environment.GetEnvironmentVariable("AUTHKIT_BENCH_QUICK") == "1"
                ? Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithId("Quick")
                : Job.Default
                    .WithToolchain(InProcessEmitToolchain.Instance)
                    .WithLaunchCount(1)
                    .WithWarmupCount(3)
                    .WithIterationCount(8)
                    .WithIterationTime(TimeInterval.FromMilliseconds(250))
                    .WithId("Short"))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(ConsoleLogger.Default)
            .AddExporter(MarkdownExporter.GitHub)
            .WithArtifactsPath(artifactsPath)
            .WithOptions(ConfigOptions.JoinSummary | ConfigOptions.DisableLogFile);

    public static int Run(string outputJson, string[] bdnArgs)
    {
        var artifacts = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outputJson))!, "bdn");
        var summaries = BenchmarkSwitcher.FromTypes(Types).Run(bdnArgs.Length == 0 ? ["--filter", "*"] : bdnArgs, CreateConfig(artifacts)).ToArray();
        var results = new JsonObject();
        foreach (var report in summaries.SelectMany(s => s.Reports))
        {
            var name = report.BenchmarkCase.Descriptor.Type.Name + "." + report.BenchmarkCase.Descriptor.WorkloadMethod.Name;
            if (report.ResultStatistics is null)
            {
                Console.Error.WriteLine($"micro: {name} produced no result");
                continue;
            }

            results[name] = new JsonObject
            {
                ["title"] = report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo,
                ["meanNs"] = report.ResultStatistics.Mean,
                ["stdDevNs"] = report.ResultStatistics.StandardDeviation,
                ["allocatedBytes"] = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? -1,
            };
        }

        File.WriteAllText(outputJson, results.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"micro: {results.Count} results -> {outputJson}");
        return results.Count == summaries.Sum(s => s.BenchmarksCases.Length) ? 0 : 1;
    }
}
