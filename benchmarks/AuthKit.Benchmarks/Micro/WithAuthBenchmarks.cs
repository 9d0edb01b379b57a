using AuthKit.Benchmarks.Fixtures;
using AuthKit.Session;
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthKit.Benchmarks.Micro;

/// <summary>
/// Items 3, 4 and 8: <see cref="AuthService{TRequest, TResponse}.WithAuthAsync"/> on a valid cookie, warm (the same cookie
/// again) and cold (first sight of each cookie), with allocations, against ASP.NET Core's cookie-ticket unprotect and
/// against "unseal + one RS256 verification" done by hand.
/// </summary>
/// <remarks>
/// Cold: every cookie of a pool of <see cref="Pool"/> distinct cookies (each with its own token) goes through a service
/// whose core is new for the invocation, so every call misses the verified-session cache and does the full work: cookie
/// read, cache look-up (SHA-256 of the cookie), unseal (2 x PBKDF2-SHA1 1 iteration, HMAC-SHA256, AES-256-CBC, JSON into
/// a typed session), RS256 verification (JWT parse, signature, claims, expiry), result, cache insert. It does not include
/// the process's first JWKS fetch (the signing keys stay cached process-wide; that cost is "new verifier, first token").
/// Warm: the same cookie again on a service that has seen it.
/// </remarks>
[MemoryDiagnoser]
public class WithAuthBenchmarks
{
    public const int Pool = 256;

    private BenchData _data = null!;
    private AuthKitStack _stack = null!;
    private string[] _cookies = null!;
    private string _cookie = null!;
    private AuthService<string, object> _warmService = null!;
    private TicketBaseline _ticket = null!;
    private JsonWebTokenHandler _bareHandler = null!;
    private TokenValidationParameters _bareParameters = null!;

    [GlobalSetup]
    public void Setup()
    {
        _data = BenchData.Create();
        _stack = new AuthKitStack(_data);
        _cookies = _data.CreateCookies(Pool, TimeSpan.FromHours(2));
        _cookie = _data.CreateCookies(1, TimeSpan.FromHours(2), firstIndex: Pool)[0];
        _warmService = _stack.CreateService();
        var first = _warmService.WithAuthAsync(_cookie).GetAwaiter().GetResult();
        if (!first.Auth.IsAuthenticated)
        {
            throw new InvalidOperationException("The benchmark cookie is not accepted.");
        }

        _ticket = TicketBaseline.Create(_stack.Encryption.UnsealSession(_cookie, BenchData.CookiePassword));
        _bareHandler = TokenBenchmarks.CreateBareHandler();
        _bareParameters = TokenBenchmarks.CreateBareParameters(_data);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stack.Dispose();
        _data.Dispose();
    }

    /// <summary>The sealed cookie's length and the protected ticket's length (reported).</summary>
    public (int Cookie, int Ticket) Sizes => (_cookie.Length, _ticket.ProtectedTicket.Length);

    [Benchmark(Description = "WithAuthAsync: warm (same cookie again)")]
    public async Task<bool> WithAuthWarm() => (await _warmService.WithAuthAsync(_cookie).ConfigureAwait(false)).Auth.IsAuthenticated;

    [Benchmark(Description = "WithAuthAsync: cold (first sight of a cookie)", OperationsPerInvoke = Pool)]
    public async Task<int> WithAuthCold()
    {
        var service = _stack.CreateService();
        var signedIn = 0;
        foreach (var cookie in _cookies)
        {
            if ((await service.WithAuthAsync(cookie).ConfigureAwait(false)).Auth.IsAuthenticated) signedIn++;
        }

        return signedIn;
    }

    [Benchmark(Description = "Reference: unseal + one bare RS256 verification", OperationsPerInvoke = Pool)]
    public async Task<int> UnsealAndVerify()
    {
        var valid = 0;
        foreach (var cookie in _cookies)
        {
            var session = _stack.Encryption.UnsealSession(cookie, BenchData.CookiePassword);
            if ((await _bareHandler.ValidateTokenAsync(session.AccessToken, _bareParameters).ConfigureAwait(false)).IsValid) valid++;
        }

        return valid;
    }

    [Benchmark(Description = "Baseline: ASP.NET Core TicketDataFormat.Unprotect")]
    public Microsoft.AspNetCore.Authentication.AuthenticationTicket? TicketUnprotect() => _ticket.Format.Unprotect(_ticket.ProtectedTicket);
}
