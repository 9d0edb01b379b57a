namespace AuthKit.Session;

/// <summary>An <see cref="IHttpClientFactory"/> over one shared handler (stand-alone use without DI).</summary>
internal sealed class SingleHandlerHttpClientFactory(HttpMessageHandler handler) : IHttpClientFactory
{
    public HttpClient CreateClient(string name) => new(handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(30) };
}
