using AuthKit.Benchmarks.Fixtures;
using AuthKit.Session;
using BenchmarkDotNet.Attributes;

namespace AuthKit.Benchmarks.Micro;

/// <summary>Item 1: sealing a realistic ~1.6 KB session cookie, raw (<see cref="IronSeal"/>) and typed (<see cref="SessionEncryption"/>).</summary>
[MemoryDiagnoser]
public class SealingBenchmarks
{
    private BenchData _data = null!;
    private SessionEncryption _encryption = null!;
    private AuthKit.Session.Session _session = null!;
    private string _cookie = null!;
    private string _json = null!;

    [GlobalSetup]
    public void Setup()
    {
        _data = BenchData.Create();
        _encryption = new SessionEncryption();
        _session = BenchData.CreateSession(0, _data.CreateAccessToken(0, DateTimeOffset.UtcNow, TimeSpan.FromHours(2)));
        _cookie = _encryption.SealSession(_session, BenchData.CookiePassword);
        _json = IronSeal.Unseal(_cookie, BenchData.CookiePassword);
    }

    [GlobalCleanup]
    public void Cleanup() => _data.Dispose();

    /// <summary>Length of the sealed cookie (reported next to the figures).</summary>
    public int CookieLength => _cookie.Length;

    [Benchmark(Description = "IronSeal.Unseal")]
    public string Unseal() => IronSeal.Unseal(_cookie, BenchData.CookiePassword);

    [Benchmark(Description = "IronSeal.Seal")]
    public string Seal() => IronSeal.Seal(_json, BenchData.CookiePassword, TimeSpan.Zero);

    [Benchmark(Description = "SessionEncryption.UnsealSession (typed read)")]
    public AuthKit.Session.Session UnsealSession() => _encryption.UnsealSession(_cookie, BenchData.CookiePassword);

    [Benchmark(Description = "SessionEncryption.SealSession (typed write)")]
    public string SealSession() => _encryption.SealSession(_session, BenchData.CookiePassword);
}
