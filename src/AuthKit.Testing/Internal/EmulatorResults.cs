using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Testing.Internal;

/// <summary>The emulator's HTTP answers: JSON, HTML pages (nonce CSP, no-store) and redirects.</summary>
internal static class EmulatorResults
{
    public static IResult Json(ApiAnswer answer) =>
        Results.Text(answer.Body.ToJsonString(), "application/json; charset=utf-8", Encoding.UTF8, answer.Status);

    public static IResult Html(HttpContext ctx, int status, Func<string, string> render, string? formTarget = null)
    {
        var nonce = Ids.Base64Url(RandomNumberGenerator.GetBytes(16));
        var formAction = formTarget is null ? "'self'" : "'self' " + formTarget;
        ctx.Response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; style-src 'nonce-{nonce}'; img-src data:; form-action {formAction}; base-uri 'none'; frame-ancestors 'none'";
        ctx.Response.Headers.CacheControl = "no-store";
        ctx.Response.Headers.XContentTypeOptions = "nosniff";
        ctx.Response.Headers["Referrer-Policy"] = "no-referrer";
        return Results.Text(render(nonce), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    public static IResult Redirect(HttpContext ctx, string url)
    {
        ctx.Response.Headers.CacheControl = "no-store";
        return Results.Redirect(url);
    }
}
