using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace AuthKit.E2E.Tests.SeveralServers;

/// <summary>
/// The one public origin in front of several sample servers, as a load balancer would be: every request (page loads, the
/// sign-in callback, sign-out posts, <c>/auth/session</c>, the circuit's WebSocket) is forwarded with YARP to one server,
/// the original <c>Host</c> kept. Which server: the <see cref="PinHeader"/> request header or the <see cref="PinCookie"/>
/// cookie when present (the test steers a request), else round robin. Circuit requests (<c>/_blazor...</c>) follow
/// <see cref="CircuitCookie"/>, else the pin, else server 0 — they are sticky, as a real load balancer's session affinity
/// keeps a circuit's negotiate and WebSocket on one server. Every forwarded request is recorded.
/// </summary>
public sealed class LoadBalancer : IAsyncDisposable
{
    /// <summary>Request header naming the server (0-based) that gets this request.</summary>
    public const string PinHeader = "X-E2E-Server";

    /// <summary>Cookie naming the server (0-based) that gets every request of the browser context.</summary>
    public const string PinCookie = "e2e-server";

    /// <summary>Cookie naming the server (0-based) that gets the browser context's circuits.</summary>
    public const string CircuitCookie = "e2e-circuit-server";

    private readonly WebApplication _app;
    private readonly HttpMessageInvoker _invoker;
    private readonly ConcurrentQueue<ForwardedRequest> _log = new();
    private Uri[] _servers = [];
    private int _next = -1;

    private LoadBalancer(WebApplication app, HttpMessageInvoker invoker)
    {
        _app = app;
        _invoker = invoker;
    }

    /// <summary>The public origin, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Every request forwarded so far, in the order they finished.</summary>
    public IReadOnlyList<ForwardedRequest> Requests => [.. _log];

    /// <summary>Starts listening on a free loopback port; <see cref="SetServers"/> says where to forward.</summary>
    public static async Task<LoadBalancer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddHttpForwarder();
        var app = builder.Build();
        var invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            ActivityHeadersPropagator = null,
        });
        var balancer = new LoadBalancer(app, invoker);
        app.Run(balancer.ForwardAsync);
        await app.StartAsync();
        balancer.BaseUri = new Uri(app.Urls.Single().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return balancer;
    }

    /// <summary>The servers behind the balancer (index = the number the pins name).</summary>
    public void SetServers(IEnumerable<Uri> servers) => _servers = [.. servers];

    /// <summary>Forgets the recorded requests.</summary>
    public void ClearLog() => _log.Clear();

    private async Task ForwardAsync(HttpContext context)
    {
        var servers = _servers;
        if (servers.Length == 0)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        var path = context.Request.Path.Value ?? "/";
        var isCircuit = path.StartsWith("/_blazor", StringComparison.OrdinalIgnoreCase);
        var server = Choose(context, isCircuit, servers.Length);
        var started = Stopwatch.GetTimestamp();
        var error = await context.RequestServices.GetRequiredService<IHttpForwarder>().SendAsync(
            context, servers[server].ToString().TrimEnd('/'), _invoker, new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromMinutes(5) }, KeepHostTransformer.Instance);
        _log.Enqueue(new ForwardedRequest(
            server, context.Request.Method, path + context.Request.QueryString, context.Response.StatusCode, Stopwatch.GetElapsedTime(started),
            isCircuit || context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpUpgradeFeature>()?.IsUpgradableRequest == true, DateTimeOffset.UtcNow, error == ForwarderError.None ? null : error.ToString()));
    }

    private int Choose(HttpContext context, bool isCircuit, int count)
    {
        if (Pin(context.Request.Headers[PinHeader].ToString(), count) is { } header)
        {
            return header;
        }

        if (isCircuit)
        {
            return Pin(context.Request.Cookies[CircuitCookie], count) ?? Pin(context.Request.Cookies[PinCookie], count) ?? 0;
        }

        return Pin(context.Request.Cookies[PinCookie], count) ?? (int)((uint)Interlocked.Increment(ref _next) % (uint)count);
    }

    private static int? Pin(string? value, int count) =>
        int.TryParse(value, out var index) && index >= 0 && index < count ? index : null;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _invoker.Dispose();
    }

    /// <summary>YARP's default request transform, but the request keeps the public <c>Host</c> (the servers check origins against it).</summary>
    private sealed class KeepHostTransformer : HttpTransformer
    {
        public static readonly KeepHostTransformer Instance = new();

        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
            proxyRequest.Headers.Host = httpContext.Request.Host.Value;
        }
    }
}

/// <summary>One request the balancer forwarded: to which server, what, the answer and how long it took (for a circuit's WebSocket, its whole life).</summary>
public sealed record ForwardedRequest(int Server, string Method, string PathAndQuery, int Status, TimeSpan Elapsed, bool IsCircuit, DateTimeOffset FinishedAt, string? ForwarderError)
{
    /// <summary>When the balancer received it.</summary>
    public DateTimeOffset StartedAt => FinishedAt - Elapsed;

    public override string ToString() =>
        $"{FinishedAt:HH:mm:ss.fff} server {Server}: {Method} {PathAndQuery} -> {Status} in {Elapsed.TotalMilliseconds:F0} ms{(ForwarderError is null ? "" : " (" + ForwarderError + ")")}";
}
