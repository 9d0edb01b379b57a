using System.Text.Json.Nodes;

namespace AuthKit.Testing.Internal;

/// <summary>WorkOS error answers (OAuth errors and API errors) in the wire format.</summary>
internal static class WireErrors
{
    public static ApiAnswer OAuthError(string error, string description) =>
        new(400, new JsonObject { ["error"] = error, ["error_description"] = description });

    /// <summary>WorkOS's plain error shape (<c>{"message","code"}</c>), used by the <c>urn:workos:</c> grants.</summary>
    public static ApiAnswer ApiError(int status, string code, string message) =>
        new(status, new JsonObject { ["message"] = message, ["code"] = code });

    public static ApiAnswer Unauthorized() =>
        new(401, new JsonObject { ["message"] = "Unauthorized", ["code"] = "unauthorized" });

    public static ApiAnswer NotFound(string message) =>
        new(404, new JsonObject { ["message"] = message, ["code"] = "entity_not_found" });

    public static ApiAnswer BadRequest(string message) =>
        new(400, new JsonObject { ["message"] = message, ["code"] = "invalid_request_parameters" });

    public static JsonObject RateLimitBody() => new() { ["message"] = "Too Many Requests", ["code"] = "rate_limit_exceeded" };
}
