using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit.Abstractions;

namespace AuthKit.E2E.Tests;

/// <summary>
/// A real cross-site attacker: a page on <c>http://evil.test</c> (Chromium maps the name to 127.0.0.1) served by a small
/// page server, and hostile requests straight at the running sample (real Kestrel, which refuses to write non-ASCII headers).
/// </summary>
[Collection(SampleAppCollection.Name)]
public sealed class CrossSiteTests(SampleAppFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private const string Alice = "alice@example.com";

    [Fact]
    public Task A_cross_site_page_posting_to_sign_out_neither_clears_the_cookie_nor_ends_the_session() => RunAsync(async session =>
    {
        var page = await SignInAsync(session, Alice);
        await page.GotoAsync(AppUrl("/account"));
        var sessionId = await page.GetByTestId("account-session-id").InnerTextAsync();
        var cookieBefore = (await GetSessionCookieAsync(session))!.Value;

        await using var evil = await EvilPageServer.StartAsync($$"""
            <!DOCTYPE html><html lang="en"><head><title>Win a prize</title></head><body>
            <form method="post" action="{{AppUrl("/auth/sign-out")}}"><input type="hidden" name="returnTo" value="/"></form>
            <script>document.forms[0].submit();</script></body></html>
            """);
        var attack = await session.NewPageAsync();
        session.ExpectConsoleError("400 (Bad Request)");
        var response = await attack.RunAndWaitForResponseAsync(
            () => attack.GotoAsync(evil.Uri.ToString()),
            r => r.Url.EndsWith("/auth/sign-out", StringComparison.Ordinal) && r.Request.Method == "POST");

        Assert.Equal(400, response.Status);
        Assert.False((await response.AllHeadersAsync()).ContainsKey("set-cookie"), "the rejected sign-out must not write a cookie");
        await Expect(attack.GetByRole(AriaRole.Heading, new() { Name = "Request rejected" })).ToBeVisibleAsync();
        Assert.Equal(cookieBefore, (await GetSessionCookieAsync(session))?.Value);
        Assert.True(await Emulator.IsSessionActiveAsync(sessionId), "the WorkOS session must stay active");
        await page.GotoAsync(AppUrl("/account"));
        await Expect(page.GetByTestId("account-email")).ToHaveTextAsync(Alice);
    });

    [Theory]
    [InlineData("/auth/sign-in?loginHint=%C3%A9")]
    [InlineData("/auth/sign-in?loginHint=%F0%9F%98%80")]
    [InlineData("/auth/sign-in?organizationId=%C3%A9")]
    [InlineData("/auth/sign-in?returnPathname=/%C3%A9")]
    [InlineData("/auth/sign-up?loginHint=%C3%A9&returnPathname=https://evil.example/%C3%A9?x=1")]
    public async Task Non_ascii_sign_in_options_redirect_to_WorkOS_on_real_kestrel(string path)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });

        var response = await client.GetAsync(AppUrl(path));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(Fixture.App.EmulatorUri.ToString(), response.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public Task A_sign_in_returning_to_a_non_ascii_path_completes_and_lands_there() => RunAsync(async session =>
    {
        var page = await session.NewPageAsync();
        await page.GotoAsync(AppUrl("/auth/sign-in?returnPathname=" + Uri.EscapeDataString("/é")));
        await SignInOnEmulatorAsync(page, Alice);

        // The sample has no page at /é: its own 404 page, signed in, proves the callback wrote the session and redirected.
        await Expect(page).ToHaveURLAsync(AppUrl("/%C3%A9"));
        session.ExpectConsoleError("404 (Not Found)");
        Assert.NotNull(await GetSessionCookieAsync(session));
        await page.GotoAsync(AppUrl("/account"));
        await Expect(page.GetByTestId("account-email")).ToHaveTextAsync(Alice);
    });

    /// <summary>Serves one HTML page on a free loopback port, addressed as <c>http://evil.test:port/</c>.</summary>
    private sealed class EvilPageServer : IAsyncDisposable
    {
        private readonly HttpListener _listener;
        private readonly Task _loop;

        private EvilPageServer(HttpListener listener, Uri uri, string html)
        {
            _listener = listener;
            Uri = uri;
            _loop = Task.Run(async () =>
            {
                var body = Encoding.UTF8.GetBytes(html);
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception) when (!_listener.IsListening)
                    {
                        return;
                    }
                    catch (HttpListenerException)
                    {
                        return;
                    }

                    context.Response.ContentType = "text/html; charset=utf-8";
                    await context.Response.OutputStream.WriteAsync(body);
                    context.Response.Close();
                }
            });
        }

        public Uri Uri { get; }

        public static Task<EvilPageServer> StartAsync(string html)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://evil.test:{port}/");
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            listener.Start();
            return Task.FromResult(new EvilPageServer(listener, new Uri($"http://evil.test:{port}/"), html));
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            _listener.Close();
            await _loop.ConfigureAwait(false);
        }
    }
}
