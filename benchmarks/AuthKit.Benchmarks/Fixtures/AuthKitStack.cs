using AuthKit.Session;
using Microsoft.Extensions.Options;

namespace AuthKit.Benchmarks.Fixtures;

/// <summary>
/// The production AuthKit objects, wired by hand: one process-wide verifier (JWKS from memory), sealing, and a factory
/// for <see cref="AuthService{TRequest, TResponse}"/> instances with a fresh <see cref="AuthKitCore"/> (an empty
/// verified-session cache).
/// </summary>
public sealed class AuthKitStack : IDisposable
{
    private readonly IOptions<AuthKitOptions> _options;
    private readonly IOptions<AuthKitCoreOptions> _coreOptions;
    private readonly BenchCookieStorage _storage;
    private readonly HttpClient _workOSHttp;

    public AuthKitStack(BenchData data)
    {
        _options = Options.Create(BenchData.CreateOptions());
        _coreOptions = Options.Create(new AuthKitCoreOptions());
        Handler = new InMemoryJwksHandler(data.JwksJson);
        Encryption = new SessionEncryption();
        Verifier = CreateVerifier();
        _workOSHttp = new HttpClient(Handler, disposeHandler: false);
        WorkOS = new WorkOSUserManagementClient(_workOSHttp, _options);
        _storage = new BenchCookieStorage(_options.Value);
    }

    public InMemoryJwksHandler Handler { get; }

    public SessionEncryption Encryption { get; }

    /// <summary>The shared verifier (keys stay cached once fetched).</summary>
    internal JwksAccessTokenVerifier Verifier { get; }

    internal WorkOSUserManagementClient WorkOS { get; }

    /// <summary>A new verifier with nothing cached (its first validation fetches the JWKS).</summary>
    internal JwksAccessTokenVerifier CreateVerifier() => new(_options, _coreOptions, new HandlerHttpClientFactory(Handler), TimeProvider.System);

    /// <summary>A service whose engine and core (and so verified-session cache) are new; the verifier is the shared one.</summary>
    public AuthService<string, object> CreateService(AuthKitCoreOptions? coreOptions = null) =>
        new(_options, _storage, new SessionResolver(new AuthKitCore(_options, WorkOS, Encryption, Verifier, coreOptions is null ? _coreOptions : Options.Create(coreOptions), TimeProvider.System)), Encryption);

    public void Dispose() => _workOSHttp.Dispose();
}
