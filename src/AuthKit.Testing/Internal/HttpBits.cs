using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace AuthKit.Testing.Internal;

/// <summary>Small HTTP helpers shared by the endpoints.</summary>
internal static class HttpBits
{
    public const string BrowserCookie = "workos_emulator_session";
    private const string BodyItem = "AuthKit.Testing.AuthenticateBody";

    private static readonly HashSet<string> SensitiveKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "code", "code_verifier", "code_challenge", "state", "refresh_token", "access_token", "client_secret", "password",
        "pending_authentication_token", "request",
    };

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

    public static string WithQuery(string uri, IEnumerable<KeyValuePair<string, string?>> values) => QueryHelpers.AddQueryString(uri, values);

    /// <summary>Whether the request carries the API key as <c>Authorization: Bearer</c>.</summary>
    public static bool HasBearer(HttpContext ctx, string apiKey, out bool present)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        present = header.Length > 0;
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && Ids.FixedTimeEquals(header[7..].Trim(), apiKey);
    }

    /// <summary>A loopback or allow-listed absolute http(s) URL without a fragment.</summary>
    public static bool IsAllowedRedirect(string? value, IEnumerable<string> allowedHosts, out Uri? uri)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(value) || !Uri.TryCreate(value, UriKind.Absolute, out var parsed)
            || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
            || parsed.Fragment.Length > 0 || parsed.UserInfo.Length > 0)
        {
            return false;
        }

        var ok = IsLoopbackOrAllowedHost(parsed.IdnHost, allowedHosts);
        if (ok)
        {
            uri = parsed;
        }

        return ok;
    }

    /// <summary>
    /// Whether a host name (without port) is <c>localhost</c>, a loopback IP literal (<c>127.x.x.x</c>, <c>[::1]</c>)
    /// or one of <paramref name="allowedHosts"/> (case-insensitive, exact).
    /// </summary>
    public static bool IsLoopbackOrAllowedHost(string host, IEnumerable<string> allowedHosts) =>
        host.Length > 0
        && (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip))
            || allowedHosts.Any(h => string.Equals(h, host, StringComparison.OrdinalIgnoreCase)));

    public static string Origin(Uri uri) => uri.GetLeftPart(UriPartial.Authority);

    /// <summary>A query string with secret values replaced by their length.</summary>
    public static string RedactQuery(IQueryCollection query)
    {
        if (query.Count == 0)
        {
            return "";
        }

        return "?" + string.Join('&', query.Select(kv => kv.Key + "=" + (SensitiveKeys.Contains(kv.Key) ? $"[redacted:{kv.Value.ToString().Length}]" : kv.Value.ToString())));
    }

    public static string RedactFields(IReadOnlyDictionary<string, string?> fields) =>
        "{" + string.Join(", ", fields.Select(kv => kv.Key + "=" + (SensitiveKeys.Contains(kv.Key) ? $"[redacted:{kv.Value?.Length ?? 0}]" : kv.Value ?? "null"))) + "}";

    /// <summary>Reads a JSON object or form body into string fields (null when unreadable). Cached on the context.</summary>
    public static async Task<IReadOnlyDictionary<string, string?>?> ReadFieldsAsync(HttpContext ctx)
    {
        if (ctx.Items.TryGetValue(BodyItem, out var cached))
        {
            return cached as IReadOnlyDictionary<string, string?>;
        }

        IReadOnlyDictionary<string, string?>? fields = null;
        try
        {
            if (ctx.Request.HasFormContentType)
            {
                var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
                fields = form.ToDictionary(kv => kv.Key, kv => (string?)kv.Value.ToString(), StringComparer.Ordinal);
            }
            else if (ctx.Request.ContentLength is null or <= 1024 * 1024)
            {
                using var doc = await JsonDocument.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted);
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                {
                    var dict = new Dictionary<string, string?>(StringComparer.Ordinal);
                    foreach (var p in doc.RootElement.EnumerateObject())
                    {
                        dict[p.Name] = p.Value.ValueKind switch
                        {
                            JsonValueKind.String => p.Value.GetString(),
                            JsonValueKind.Null => null,
                            _ => p.Value.GetRawText(),
                        };
                    }

                    fields = dict;
                }
            }
        }
        catch (JsonException)
        {
            fields = null;
        }
        catch (InvalidDataException)
        {
            fields = null;
        }

        ctx.Items[BodyItem] = fields;
        return fields;
    }

    public static string? Field(this IReadOnlyDictionary<string, string?> fields, string name) =>
        fields.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v : null;

    public static string? Query(this HttpContext ctx, string name)
    {
        var v = ctx.Request.Query[name].ToString();
        return v.Length == 0 ? null : v;
    }
}
