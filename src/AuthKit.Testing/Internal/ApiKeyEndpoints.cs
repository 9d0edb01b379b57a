using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace AuthKit.Testing.Internal;

/// <summary>
/// <c>POST /api_keys/validations</c> and <c>DELETE /api_keys/{id}</c> as WorkOS serves them (the app's API key as bearer), plus
/// the control surface <c>POST /_emulator/api_keys</c> (create) and <c>POST /_emulator/api_keys/{id}/revoke</c>.
/// </summary>
internal static class ApiKeyEndpoints
{
    public static void Map(IEndpointRouteBuilder app, WorkOSEmulator emulator, EmulatorService svc, ApiKeyStore store, ILogger logger)
    {
        var options = svc.Options;

        // An unknown, revoked or expired key (or no value at all) is 200 {"api_key": null}, as WorkOS's emulator answers.
        app.MapPost("/api_keys/validations", async (HttpContext ctx) =>
        {
            svc.Counters.Increment(RequestCounters.ApiKeyValidations);
            if (!RequestInput.HasBearer(ctx, options.ApiKey, out _))
            {
                Log.Unauthorized(logger, ctx.Request.Path);
                return EmulatorResults.Json(WireErrors.Unauthorized());
            }

            var fields = await RequestInput.ReadFieldsAsync(ctx);
            return EmulatorResults.Json(new ApiAnswer(200, new JsonObject { ["api_key"] = store.Validate(fields?.Field("value")) }));
        });

        app.MapDelete("/api_keys/{id}", (HttpContext ctx, string id) =>
        {
            if (!RequestInput.HasBearer(ctx, options.ApiKey, out _))
            {
                Log.Unauthorized(logger, ctx.Request.Path);
                return EmulatorResults.Json(WireErrors.Unauthorized());
            }

            return store.Revoke(id) ? Results.NoContent() : EmulatorResults.Json(WireErrors.NotFound("ApiKey not found."));
        });

        var control = app.MapGroup("/_emulator/api_keys");
        control.AddEndpointFilter(async (context, next) =>
            RequestInput.HasBearer(context.HttpContext, options.ApiKey, out _) ? await next(context) : EmulatorResults.Json(WireErrors.Unauthorized()));

        control.MapPost("/", async (HttpContext ctx) =>
        {
            var f = await RequestInput.ReadFieldsAsync(ctx);
            if (f?.Field("name") is not { } name || f.Field("organization_id") is not { } orgId)
            {
                return EmulatorResults.Json(WireErrors.BadRequest("name and organization_id are required (user_id, permissions, value, expires_at optional)."));
            }

            List<string> permissions = [];
            DateTimeOffset? expiresAt = null;
            try
            {
                if (f.Field("permissions") is { } raw)
                {
                    permissions = JsonSerializer.Deserialize<List<string>>(raw) ?? [];
                }

                if (f.Field("expires_at") is { } expires)
                {
                    expiresAt = DateTimeOffset.Parse(expires, System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                return EmulatorResults.Json(WireErrors.BadRequest("permissions must be an array of strings and expires_at an ISO 8601 time."));
            }

            try
            {
                var created = emulator.CreateApiKey(new EmulatorApiKey
                {
                    Name = name, OrganizationId = orgId, UserId = f.Field("user_id"), Value = f.Field("value"),
                    Permissions = permissions, ExpiresAt = expiresAt,
                });
                return EmulatorResults.Json(new ApiAnswer(201, new JsonObject { ["id"] = created.Id, ["value"] = created.Value }));
            }
            catch (ArgumentException e)
            {
                return EmulatorResults.Json(WireErrors.BadRequest(e.Message));
            }
        });

        control.MapPost("/{id}/revoke", (string id) => emulator.RevokeApiKey(id)
            ? EmulatorResults.Json(new ApiAnswer(200, new JsonObject { ["success"] = true }))
            : EmulatorResults.Json(WireErrors.NotFound("ApiKey not found.")));
    }
}
