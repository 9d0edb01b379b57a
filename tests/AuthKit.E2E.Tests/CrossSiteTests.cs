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
        session.ExpectConsoleError("favicon.ico"); // the bare 400 page has no icon
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
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(new Uri(Fixture.App.BaseUri, "/%C3%A9").AbsoluteUri) + "$"));
        session.ExpectConsoleError("404 (Not Found)");
        Assert.NotNull(await GetSessionCookieAsync(session));
        await page.GotoAsync(AppUrl("/account"));
        await Expect(page.GetByTestId("account-email")).ToHaveTextAsync(Alice);
    });

    /// <summary>Serves one HTML page (to every request) on a free loopback port, addressed as <c>http://evil.test:port/</c>.</summary>
    private sealed class EvilPageServer : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        private EvilPageServer(TcpListener listener, string html)
        {
            _listener = listener;
            Uri = new Uri($"http://evil.test:{((IPEndPoint)listener.LocalEndpoint).Port}/");
            var body = Encoding.UTF8.GetBytes(html);
            var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
            _loop = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    TcpClient client;
                    try
                    {
                        client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    using (client)
                    {
                        var stream = client.GetStream();
                        var buffer = new byte[8192];
                        var received = new StringBuilder();
                        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                        {
                            var read = await stream.ReadAsync(buffer, _stop.Token);
                            if (read == 0) break;
                            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
                        }

                        await stream.WriteAsync(head, _stop.Token);
                        await stream.WriteAsync(body, _stop.Token);
                    }
                }
            });
        }

        public Uri Uri { get; }

        public static Task<EvilPageServer> StartAsync(string html)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return Task.FromResult(new EvilPageServer(listener, html));
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }

            _stop.Dispose();
        }
    }
}
