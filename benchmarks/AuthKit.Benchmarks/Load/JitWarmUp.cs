using System.Diagnostics;

namespace AuthKit.Benchmarks.Load;

/// <summary>
/// The settled warm-up of the storms: rounds of the measured work until one round compiles no new method (at least
/// three rounds, at most a cap), so no storm is timed while hot methods are still being recompiled in the background.
/// </summary>
internal static class JitWarmUp
{
    /// <summary>Runs <paramref name="round"/> (then a 200 ms pause) until the JIT settles or <paramref name="maxRounds"/> ran.</summary>
    public static async Task<(int Rounds, bool Settled, double Seconds)> RunAsync(Func<Task> round, int maxRounds)
    {
        var start = Stopwatch.GetTimestamp();
        var rounds = 0;
        bool settled;
        do
        {
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            await round().ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromMilliseconds(200)).ConfigureAwait(false);
            rounds++;
            settled = System.Runtime.JitInfo.GetCompiledMethodCount() == compiled;
        }
        while (rounds < maxRounds && (rounds < Math.Min(3, maxRounds) || !settled));

        return (rounds, settled, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }
}
