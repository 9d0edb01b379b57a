using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Testing.Internal;

/// <summary>Reading a request's input: body fields (JSON or form), query values and the bearer API key.</summary>
internal static class RequestInput
{
    private const string BodyItem = "AuthKit.Testing.AuthenticateBody";

    /// <summary>Whether the request carries the API key as <c>Authorization: Bearer</c>.</summary>
    public static bool HasBearer(HttpContext ctx, string apiKey, out bool present)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        present = header.Length > 0;
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && Ids.FixedTimeEquals(header[7..].Trim(), apiKey);
    }

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
