using System.Net;
using System.Text;

namespace AuthKit.Benchmarks.Fixtures;

/// <summary>Serves the JWKS from memory for any GET (no network); counts fetches. Anything else is a 404.</summary>
public sealed class InMemoryJwksHandler(string jwksJson) : HttpMessageHandler
{
    private int _fetches;

    public int Fetches => Volatile.Read(ref _fetches);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Get && request.RequestUri?.AbsolutePath.StartsWith("/sso/jwks/", StringComparison.Ordinal) == true)
        {
            Interlocked.Increment(ref _fetches);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(jwksJson, Encoding.UTF8, "application/json") });
        }

        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
    }
}

/// <summary>An <see cref="IHttpClientFactory"/> over one handler.</summary>
public sealed class HandlerHttpClientFactory(HttpMessageHandler handler) : IHttpClientFactory
{
    public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
}
