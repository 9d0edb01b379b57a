using AuthKit.Benchmarks.Fixtures;
using AuthKit.Session;
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthKit.Benchmarks.Micro;

/// <summary>
/// Item 2 and the JWT baseline of item 4: access-token verification by <see cref="JwksAccessTokenVerifier"/> (first sight
/// of a token, the same token again, a verifier's very first token including the JWKS load) against a bare
/// <see cref="JsonWebTokenHandler.ValidateTokenAsync(string, TokenValidationParameters)"/> of the same token.
/// </summary>
[MemoryDiagnoser]
public class TokenBenchmarks
{
    /// <summary>Distinct tokens per "first sight" invocation.</summary>
    public const int Pool = 256;

    private BenchData _data = null!;
    private AuthKitStack _stack = null!;
    private string[] _tokens = null!;
    private string _token = null!;
    private JsonWebTokenHandler _bareHandler = null!;
    private TokenValidationParameters _bareParameters = null!;

    [GlobalSetup]
    public void Setup()
    {
        _data = BenchData.Create();
        _stack = new AuthKitStack(_data);
        var now = DateTimeOffset.UtcNow;
        _tokens = Enumerable.Range(0, Pool).Select(i => _data.CreateAccessToken(i, now, TimeSpan.FromHours(2))).ToArray();
        _token = _data.CreateAccessToken(Pool, now, TimeSpan.FromHours(2));
        _bareHandler = CreateBareHandler();
        _bareParameters = CreateBareParameters(_data);
        if (!_stack.Verifier.ValidateAsync(_token).AsTask().GetAwaiter().GetResult().IsValid)
        {
            throw new InvalidOperationException("The benchmark token does not verify.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stack.Dispose();
        _data.Dispose();
    }

    public static JsonWebTokenHandler CreateBareHandler() => new() { MapInboundClaims = false };

    /// <summary>What a minimal, correct RS256 check needs: the key, the algorithm, the lifetime.</summary>
    public static TokenValidationParameters CreateBareParameters(BenchData data) => new()
    {
        IssuerSigningKey = data.PublicKey,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        ValidateIssuer = false,
        ValidateAudience = false,
        ValidateLifetime = true,
        ValidateIssuerSigningKey = false,
    };

    [Benchmark(Description = "Verifier: first sight of a token", OperationsPerInvoke = Pool)]
    public async Task<int> VerifyFirstSight()
    {
        var valid = 0;
        foreach (var token in _tokens)
        {
            if ((await _stack.Verifier.ValidateAsync(token).ConfigureAwait(false)).IsValid) valid++;
        }

        return valid;
    }

    [Benchmark(Description = "Verifier: same token again (warm)")]
    public async Task<bool> VerifySameToken() => (await _stack.Verifier.ValidateAsync(_token).ConfigureAwait(false)).IsValid;

    [Benchmark(Description = "Verifier: new verifier, first token (JWKS load from memory + verify)")]
    public async Task<bool> VerifyColdStart() => (await _stack.CreateVerifier().ValidateAsync(_token).ConfigureAwait(false)).IsValid;

    [Benchmark(Description = "Baseline: bare JsonWebTokenHandler.ValidateTokenAsync")]
    public async Task<bool> BareValidate() => (await _bareHandler.ValidateTokenAsync(_token, _bareParameters).ConfigureAwait(false)).IsValid;
}
