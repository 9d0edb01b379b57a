using AuthKit.Session;

namespace AuthKit.Benchmarks.Fixtures;

/// <summary>The simplest host: the request IS the session cookie's value (so storage costs nothing measurable).</summary>
public sealed class BenchCookieStorage(AuthKitOptions options) : CookieSessionStorage<string, object>(options)
{
    public override ValueTask<string?> GetCookieAsync(string request, string name, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<string?>(request);
}
