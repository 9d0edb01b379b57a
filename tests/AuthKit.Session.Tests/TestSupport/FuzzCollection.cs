namespace AuthKit.Session.Tests.TestSupport;

/// <summary>The fuzz classes run one at a time, after the other tests, so their per-call timings are not crowded out.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzCollection
{
    public const string Name = "Fuzz";
}
