using Microsoft.AspNetCore.Http;

namespace AuthKit.Testing.Internal;

/// <summary>Request logging without secrets: sensitive values are replaced by their length.</summary>
internal static class Redaction
{
    private static readonly HashSet<string> SensitiveKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "code", "code_verifier", "code_challenge", "state", "refresh_token", "access_token", "client_secret", "password",
        "pending_authentication_token", "request",
    };

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
}
