using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace AuthKit.Blazor;

/// <summary>
/// The answers of the bearer and API-key schemes: RFC 6750 <c>WWW-Authenticate: Bearer</c> challenges (RFC 9470's
/// <c>insufficient_user_authentication</c> with <c>max_age</c> for step-up) and a small <c>application/problem+json</c> body.
/// Never a redirect. When several schemes challenge one response (bearer and API key on one endpoint), each adds its
/// <c>WWW-Authenticate</c> value and the first writes the body.
/// </summary>
internal static class BearerResponses
{
    public static Task ChallengeAsync(HttpResponse response, string? realm, CredentialRejection? rejection, TimeSpan? maxAge, TimeSpan retryAfter)
    {
        if (rejection is { Unavailable: true })
        {
            if (response.HasStarted)
            {
                return Task.CompletedTask;
            }

            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return WriteProblemAsync(response, 503, "Service Unavailable", rejection.Error, rejection.Description);
        }

        if (maxAge is { } age)
        {
            var seconds = ((long)age.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            const string description = "A more recent sign-in is required";
            return WriteAsync(response, 401, "Unauthorized",
                Header(realm, "insufficient_user_authentication", description) + ", max_age=\"" + seconds + "\"",
                "insufficient_user_authentication", description + " (within " + seconds + " s).");
        }

        if (rejection is null)
        {
            // No credentials at all: RFC 6750 §3.1 says no error code.
            return WriteAsync(response, 401, "Unauthorized", Header(realm, null, null), null, "A bearer credential is required (Authorization: Bearer ...).");
        }

        return WriteAsync(response, 401, "Unauthorized", Header(realm, rejection.Error, rejection.Description), rejection.Error, rejection.Description);
    }

    public static Task ForbidAsync(HttpResponse response, string? realm)
    {
        const string description = "The credential does not grant access to this resource";
        return WriteAsync(response, 403, "Forbidden", Header(realm, "insufficient_scope", description), "insufficient_scope", description + ".");
    }

    private static Task WriteAsync(HttpResponse response, int status, string title, string challenge, string? error, string detail)
    {
        if (response.HasStarted)
        {
            return Task.CompletedTask;
        }

        response.Headers.Append(HeaderNames.WWWAuthenticate, challenge);
        if (response.StatusCode == status && response.ContentType is not null)
        {
            return Task.CompletedTask; // another scheme already answered this challenge (body written)
        }

        response.StatusCode = status;
        return WriteProblemAsync(response, status, title, error, detail);
    }

    private static async Task WriteProblemAsync(HttpResponse response, int status, string title, string? error, string detail)
    {
        response.Headers.CacheControl = "no-store";
        response.ContentType = "application/problem+json";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", status switch
            {
                401 => "https://www.rfc-editor.org/rfc/rfc6750#section-3.1",
                403 => "https://www.rfc-editor.org/rfc/rfc6750#section-3.1",
                _ => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4",
            });
            json.WriteString("title", title);
            json.WriteNumber("status", status);
            if (error is not null)
            {
                json.WriteString("error", error);
            }

            json.WriteString("detail", detail);
            json.WriteEndObject();
        }

        response.ContentLength = buffer.Length;
        await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), response.HttpContext.RequestAborted).ConfigureAwait(false);
    }

    /// <summary><c>Bearer realm="..", error="..", error_description=".."</c> (values restricted to RFC 6750's character set).</summary>
    private static string Header(string? realm, string? error, string? description)
    {
        var builder = new StringBuilder("Bearer");
        var first = true;
        void Param(string name, string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return;
            }

            builder.Append(first ? " " : ", ").Append(name).Append("=\"").Append(Safe(value)).Append('"');
            first = false;
        }

        Param("realm", realm);
        Param("error", error);
        Param("error_description", description);
        return builder.ToString();
    }

    /// <summary>RFC 6750 allows %x20-21 / %x23-5B / %x5D-7E in the quoted values: anything else becomes a space.</summary>
    private static string Safe(string value)
    {
        var chars = value.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (c < 0x20 || c > 0x7E || c == '"' || c == '\\')
            {
                chars[i] = ' ';
            }
        }

        return new string(chars);
    }

    /// <summary>The credential of <c>Authorization: Bearer &lt;credential&gt;</c>; null when there is no bearer header, empty when the credential is missing.</summary>
    public static string? ReadBearer(HttpRequest request)
    {
        var header = request.Headers.Authorization;
        if (header.Count != 1)
        {
            return header.Count == 0 ? null : "";
        }

        var value = header[0] ?? "";
        const string prefix = "Bearer";
        if (value.Length < prefix.Length || !value.AsSpan(0, prefix.Length).Equals(prefix, StringComparison.OrdinalIgnoreCase) ||
            (value.Length > prefix.Length && value[prefix.Length] != ' '))
        {
            return null; // another scheme (Basic, ...)
        }

        return value[prefix.Length..].Trim();
    }

    /// <summary>Whether a credential has the shape of a JWT (three dot-separated parts): the bearer scheme's, not an API key.</summary>
    public static bool LooksLikeJwt(string credential)
    {
        var first = credential.IndexOf('.', StringComparison.Ordinal);
        var second = first < 0 ? -1 : credential.IndexOf('.', first + 1);
        return first > 0 && second > first + 1 && credential.IndexOf('.', second + 1) < 0;
    }
}
