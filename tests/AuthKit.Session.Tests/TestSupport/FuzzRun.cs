using System.Diagnostics;
using System.Globalization;
using System.Text;
using AuthKit.Session;
using CsCheck;
using Xunit.Abstractions;

namespace AuthKit.Fuzz;

// Shared by AuthKit.Session.Tests and AuthKit.Blazor.Tests (linked into the second project).

/// <summary>
/// Iteration counts and the summary file of the fuzz suites. CI uses the small defaults; <c>benchmarks/fuzz.sh</c> sets
/// <c>AUTHKIT_FUZZ_ITERATIONS</c> (inputs per light class; heavy classes take a fraction) and <c>AUTHKIT_FUZZ_SUMMARY</c>.
/// </summary>
internal static class FuzzSettings
{
    public const string IterationsVariable = "AUTHKIT_FUZZ_ITERATIONS";
    public const string SummaryVariable = "AUTHKIT_FUZZ_SUMMARY";

    /// <summary>No single call of the code under test may take longer than this (checked per input class).</summary>
    public static readonly TimeSpan CallCeiling = TimeSpan.FromMilliseconds(100);

    private static readonly Lock SummaryLock = new();

    /// <summary>The CI count, or <c>AUTHKIT_FUZZ_ITERATIONS × weight</c> when the variable is set.</summary>
    public static int Iterations(int ciDefault, double weight = 1.0)
    {
        var text = Environment.GetEnvironmentVariable(IterationsVariable);
        if (string.IsNullOrEmpty(text))
        {
            return ciDefault;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            throw new InvalidOperationException($"{IterationsVariable} must be a positive integer (got '{text}').");
        }

        return (int)Math.Clamp(n * weight, 2, int.MaxValue);
    }

    public static void WriteSummary(string line)
    {
        var path = Environment.GetEnvironmentVariable(SummaryVariable);
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        lock (SummaryLock)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.AppendAllText(path, line + Environment.NewLine);
        }
    }
}

/// <summary>The result of calling the code under test: a value, or the <see cref="AuthKitException"/> it threw.</summary>
internal readonly record struct Outcome<T>(T? Value, AuthKitException? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// One input class of a fuzz target: how many inputs were tried and the slowest call (the first call is a warm-up and
/// is not timed). Anything but an <see cref="AuthKitException"/> escapes the call and fails the property.
/// </summary>
internal sealed class FuzzClass(string target, string name, TimeSpan? ceiling)
{
    private readonly Lock _lock = new();
    private long _tried;
    private int _warmedUp;
    private long _worstTicks;
    private Func<object?>? _worstCall;
    private string? _worstInput;

    public string Name => $"{target}/{name}";

    public long Tried => Interlocked.Read(ref _tried);

    public TimeSpan Worst => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _worstTicks));

    /// <summary>Times <paramref name="call"/>, catching only <see cref="AuthKitException"/>.</summary>
    public Outcome<T> Call<T>(Func<T> call, object? input)
    {
        Interlocked.Increment(ref _tried);
        var warmUp = Interlocked.Exchange(ref _warmedUp, 1) == 0;
        var start = Stopwatch.GetTimestamp();
        try
        {
            return new Outcome<T>(call(), null);
        }
        catch (AuthKitException ex)
        {
            return new Outcome<T>(default, ex);
        }
        finally
        {
            var elapsed = Stopwatch.GetTimestamp() - start;
            if (!warmUp && elapsed > Interlocked.Read(ref _worstTicks))
            {
                Record(elapsed, () => call(), input);
            }
        }
    }

    /// <summary>Times an asynchronous call (an HTTP request); every exception escapes.</summary>
    public async Task<T> CallAsync<T>(Func<Task<T>> call, object? input)
    {
        Interlocked.Increment(ref _tried);
        var warmUp = Interlocked.Exchange(ref _warmedUp, 1) == 0;
        var start = Stopwatch.GetTimestamp();
        try
        {
            return await call();
        }
        finally
        {
            var elapsed = Stopwatch.GetTimestamp() - start;
            if (!warmUp && elapsed > Interlocked.Read(ref _worstTicks))
            {
                Record(elapsed, null, input);
            }
        }
    }

    private void Record(long elapsed, Func<object?>? call, object? input)
    {
        lock (_lock)
        {
            if (elapsed <= _worstTicks)
            {
                return;
            }

            Interlocked.Exchange(ref _worstTicks, elapsed);
            _worstCall = call;
            _worstInput = FuzzText.Describe(input);
        }
    }

    /// <summary>
    /// Writes the summary line and returns a failure message when the slowest call is over the ceiling. A slow call is
    /// timed three more times first and the fastest counts, so a GC pause or a busy machine does not fail the build while
    /// an input that is slow every time does.
    /// </summary>
    public string? Finish(ITestOutputHelper output)
    {
        var worst = Worst;
        var retimed = (TimeSpan?)null;
        if (ceiling is { } limit && worst > limit && _worstCall is { } again)
        {
            var best = TimeSpan.MaxValue;
            for (var i = 0; i < 3; i++)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    again();
                }
                catch (AuthKitException)
                {
                }

                var t = Stopwatch.GetElapsedTime(start);
                best = t < best ? t : best;
            }

            retimed = best;
        }

        var line = string.Create(CultureInfo.InvariantCulture,
            $"fuzz {Name}: tried={Tried} worst={worst.TotalMilliseconds:F3}ms{(retimed is { } r ? $" retimed={r.TotalMilliseconds:F3}ms" : "")} worst-input={_worstInput ?? "-"}");
        output.WriteLine(line);
        FuzzSettings.WriteSummary(line);
        return ceiling is { } c && (retimed ?? worst) > c
            ? $"{Name}: a call took {(retimed ?? worst).TotalMilliseconds:F1} ms (ceiling {c.TotalMilliseconds} ms) for input {_worstInput}"
            : null;
    }
}

/// <summary>Runs the input classes of one fuzz target through CsCheck and checks the per-call ceiling at the end.</summary>
internal sealed class FuzzTarget(string target, ITestOutputHelper output, TimeSpan? ceiling = null)
{
    private readonly List<string> _slow = [];

    public FuzzTarget(string target, ITestOutputHelper output, bool timed)
        : this(target, output, timed ? FuzzSettings.CallCeiling : null)
    {
    }

    /// <summary>Samples <paramref name="gen"/> <paramref name="iterations"/> times (CsCheck prints the seed on failure).</summary>
    public void Run<T>(string name, Gen<T> gen, Action<T, FuzzClass> property, int iterations)
    {
        var fuzzClass = new FuzzClass(target, name, ceiling);
        try
        {
            gen.Sample(x => property(x, fuzzClass), iter: iterations, print: x => FuzzText.Describe(x));
        }
        finally
        {
            if (fuzzClass.Finish(output) is { } slow)
            {
                _slow.Add(slow);
            }
        }
    }

    /// <summary>Asynchronous properties (HTTP requests), run on <paramref name="threads"/> threads.</summary>
    public async Task RunAsync<T>(string name, Gen<T> gen, Func<T, FuzzClass, Task> property, int iterations, int threads = -1)
    {
        var fuzzClass = new FuzzClass(target, name, ceiling);
        try
        {
            await gen.SampleAsync(x => property(x, fuzzClass), iter: iterations, threads: threads, print: x => FuzzText.Describe(x));
        }
        finally
        {
            if (fuzzClass.Finish(output) is { } slow)
            {
                _slow.Add(slow);
            }
        }
    }

    /// <summary>Fails when any class had a call over the ceiling.</summary>
    public void AssertNoSlowCalls() => Assert.True(_slow.Count == 0, string.Join(Environment.NewLine, _slow));
}

/// <summary>Short, printable descriptions of fuzz inputs for failure messages and summaries.</summary>
internal static class FuzzText
{
    private const int MaxChars = 160;

    public static string Describe(object? value) => value switch
    {
        null => "null",
        string s => Quote(s),
        System.Runtime.CompilerServices.ITuple tuple => "(" + string.Join(", ", Enumerable.Range(0, tuple.Length).Select(i => Describe(tuple[i]))) + ")",
        _ => Quote(value.ToString() ?? ""),
    };

    /// <summary>The text with non-printable-ASCII characters as <c>\uXXXX</c>, cut after 160 characters (length shown).</summary>
    public static string Quote(string s)
    {
        var builder = new StringBuilder(Math.Min(s.Length, MaxChars) + 24).Append('"');
        foreach (var c in s.AsSpan(0, Math.Min(s.Length, MaxChars)))
        {
            if (c is >= ' ' and <= '~' and not '"' and not '\\')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
        }

        builder.Append('"');
        if (s.Length > MaxChars)
        {
            builder.Append(CultureInfo.InvariantCulture, $"...({s.Length} chars)");
        }

        return builder.ToString();
    }
}
