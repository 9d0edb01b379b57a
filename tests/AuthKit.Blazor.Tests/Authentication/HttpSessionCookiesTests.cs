using AuthKit.Session;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor.Tests.Authentication;

public sealed class HttpSessionCookiesTests
{
    private static HttpSessionCookies Create(string redirectUri = "https://app.example/auth/callback", string sameSite = "lax") =>
        new(Options.Create(new AuthKitOptions { RedirectUri = redirectUri, CookieSameSite = sameSite, CookieDomain = "app.example" }));

    [Fact]
    public void The_session_cookie_is_serialized_like_the_npm_package()
    {
        var cookies = Create();
        var context = new DefaultHttpContext();

        cookies.WriteSession(context.Response, "Fe26.2**abc*def~2");

        Assert.Equal("wos-session=Fe26.2**abc*def~2; Path=/; Domain=app.example; Max-Age=34560000; HttpOnly; Secure; SameSite=Lax",
            context.Response.Headers.SetCookie.ToString());
    }

    [Fact]
    public void Http_redirect_uris_drop_Secure_unless_SameSite_is_None()
    {
        Assert.False(Create("http://localhost:5000/auth/callback").SessionCookieOptions.Secure);
        Assert.True(Create("http://localhost:5000/auth/callback", "none").SessionCookieOptions.Secure);
    }

    [Fact]
    public void A_second_write_on_one_response_replaces_the_first()
    {
        var cookies = Create();
        var context = new DefaultHttpContext();
        context.Response.Headers.Append("Set-Cookie", "other=1; Path=/");

        cookies.WriteSession(context.Response, "first");
        cookies.ClearSession(context.Response);

        var values = context.Response.Headers.SetCookie.ToArray();
        Assert.Equal(2, values.Length);
        Assert.Equal("other=1; Path=/", values[0]);
        Assert.StartsWith("wos-session=; Path=/; Domain=app.example; Max-Age=0;", values[1]);
    }
}
