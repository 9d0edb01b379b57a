using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AuthKit.Testing.Internal;

/// <summary>The HTTP control surface under <c>/_emulator</c> (JSON; API key required), mirroring the in-process methods.</summary>
internal static class ControlEndpoints
{
    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static void Map(IEndpointRouteBuilder app, WorkOSEmulator emulator, EmulatorService svc)
    {
        var group = app.MapGroup("/_emulator");
        group.AddEndpointFilter(async (context, next) =>
            RequestInput.HasBearer(context.HttpContext, svc.Options.ApiKey, out _) ? await next(context) : EmulatorResults.Json(WireErrors.Unauthorized()));

        group.MapGet("/", () => Ok(new JsonObject
        {
            ["base_uri"] = emulator.BaseUri.ToString(),
            ["client_id"] = emulator.ClientId,
            ["now"] = WireJson.Timestamp(svc.Clock.GetUtcNow()),
            ["clock_offset_seconds"] = emulator.ClockOffset.TotalSeconds,
            ["signing_key_id"] = emulator.CurrentSigningKeyId,
            ["auto_sign_in_email"] = svc.AutoSignIn.Email,
            ["auto_sign_in_organization_id"] = svc.AutoSignIn.OrganizationId,
        }));

        group.MapGet("/sessions/{id}", (string id) => svc.DescribeSession(id) is { } s
            ? Ok(new JsonObject { ["id"] = id, ["user_id"] = s.UserId, ["organization_id"] = s.OrganizationId, ["active"] = s.Active, ["refreshes"] = s.Refreshes, ["rejected_refreshes"] = s.RejectedRefreshes })
            : EmulatorResults.Json(WireErrors.NotFound("Session not found.")));

        group.MapPost("/sessions/{id}/revoke", (string id) => emulator.RevokeSession(id)
            ? Ok(new JsonObject { ["success"] = true })
            : EmulatorResults.Json(WireErrors.NotFound("Session not found.")));

        group.MapPost("/memberships/role", async (HttpContext ctx) =>
        {
            var f = await RequestInput.ReadFieldsAsync(ctx);
            if (f?.Field("user_id") is not { } userId || f.Field("organization_id") is not { } orgId || f.Field("role") is not { } role)
            {
                return EmulatorResults.Json(WireErrors.BadRequest("user_id, organization_id and role are required."));
            }

            return Try(() => emulator.SetMembershipRole(userId, orgId, role));
        });

        group.MapPost("/memberships/status", async (HttpContext ctx) =>
        {
            var f = await RequestInput.ReadFieldsAsync(ctx);
            if (f?.Field("user_id") is not { } userId || f.Field("organization_id") is not { } orgId || f.Field("status") is not { } status)
            {
                return EmulatorResults.Json(WireErrors.BadRequest("user_id, organization_id and status are required."));
            }

            return Try(() => emulator.SetMembershipStatus(userId, orgId, status));
        });

        group.MapGet("/email-verifications", (HttpContext ctx) =>
        {
            if (ctx.Query("email") is not { } email)
            {
                return EmulatorResults.Json(WireErrors.BadRequest("email is required."));
            }

            return svc.LatestEmailVerification(email) is { } v
                ? Ok(new JsonObject
                {
                    ["id"] = v.Id,
                    ["user_id"] = v.UserId,
                    ["email"] = v.Email,
                    ["code"] = v.Code,
                    ["expires_at"] = WireJson.Timestamp(v.ExpiresAt),
                })
                : EmulatorResults.Json(WireErrors.NotFound("No email verification was sent to this address."));
        });

        group.MapGet("/authorize/last", () =>
        {
            var query = new JsonObject();
            foreach (var (key, value) in svc.LastAuthorizeQuery)
            {
                query[key] = value;
            }

            return Ok(query);
        });

        group.MapPost("/keys/rotate", () => Ok(new JsonObject { ["kid"] = emulator.RotateSigningKey() }));

        group.MapGet("/clock", () => Clock(emulator, svc));
        group.MapPost("/clock", async (HttpContext ctx) =>
        {
            var f = await RequestInput.ReadFieldsAsync(ctx);
            if (!TryNumber(f?.Field("offset_seconds"), out var seconds))
            {
                return EmulatorResults.Json(WireErrors.BadRequest("offset_seconds (a number) is required."));
            }

            emulator.SetClockOffset(TimeSpan.FromSeconds(seconds));
            return Clock(emulator, svc);
        });

        group.MapPost("/faults", async (HttpContext ctx) =>
        {
            var f = await RequestInput.ReadFieldsAsync(ctx);
            if (f?.Field("route") is not { } route)
            {
                return EmulatorResults.Json(WireErrors.BadRequest("route is required."));
            }

            int? status = TryNumber(f.Field("status"), out var st) ? (int)st : null;
            TimeSpan? retryAfter = TryNumber(f.Field("retry_after_seconds"), out var ra) ? TimeSpan.FromSeconds(ra) : null;
            TimeSpan? delay = TryNumber(f.Field("delay_ms"), out var d) ? TimeSpan.FromMilliseconds(d) : null;
            int? count = !f.ContainsKey("count") ? 1 : TryNumber(f.Field("count"), out var c) ? (int)c : null;
            return Try(() => emulator.InjectFault(new EmulatorFault
            {
                Route = route,
                Method = f.Field("method"),
                GrantType = f.Field("grant_type"),
                Status = status,
                Body = f.Field("body"),
                RetryAfter = retryAfter,
                Delay = delay,
                Count = count,
            }));
        });

        group.MapDelete("/faults", () =>
        {
            emulator.ClearFaults();
            return Ok(new JsonObject { ["success"] = true });
        });

        group.MapGet("/counts", () => Counts(emulator));
        group.MapPost("/counts/reset", () =>
        {
            emulator.ResetRequestCounts();
            return Counts(emulator);
        });

        group.MapPost("/auto-sign-in", async (HttpContext ctx) =>
        {
            var f = await RequestInput.ReadFieldsAsync(ctx);
            return Try(() => emulator.SetAutoSignIn(f?.Field("email"), f?.Field("organization_id")));
        });

        group.MapPost("/sign-in", async (HttpContext ctx) =>
        {
            var f = await RequestInput.ReadFieldsAsync(ctx);
            if (f?.Field("email") is not { } email)
            {
                return EmulatorResults.Json(WireErrors.BadRequest("email is required."));
            }

            try
            {
                var result = emulator.SignIn(email, f.Field("organization_id"));
                return Ok(new JsonObject
                {
                    ["session_id"] = result.SessionId,
                    ["user_id"] = result.User.Id,
                    ["organization_id"] = result.OrganizationId,
                    ["access_token"] = result.AccessToken,
                    ["refresh_token"] = result.RefreshToken,
                });
            }
            catch (ArgumentException ex)
            {
                return EmulatorResults.Json(WireErrors.BadRequest(ex.Message));
            }
        });

        group.MapPost("/codes", async (HttpContext ctx) =>
        {
            var f = await RequestInput.ReadFieldsAsync(ctx);
            if (f?.Field("email") is not { } email || f.Field("code_challenge") is not { } challenge)
            {
                return EmulatorResults.Json(WireErrors.BadRequest("email and code_challenge are required."));
            }

            try
            {
                return Ok(new JsonObject { ["code"] = emulator.IssueCodeFor(email, challenge, f.Field("organization_id")) });
            }
            catch (ArgumentException ex)
            {
                return EmulatorResults.Json(WireErrors.BadRequest(ex.Message));
            }
        });
    }

    private static IResult Ok(JsonObject body) => EmulatorResults.Json(new ApiAnswer(200, body));

    private static IResult Clock(WorkOSEmulator emulator, EmulatorService svc) => Ok(new JsonObject
    {
        ["offset_seconds"] = emulator.ClockOffset.TotalSeconds,
        ["now"] = WireJson.Timestamp(svc.Clock.GetUtcNow()),
    });

    private static IResult Counts(WorkOSEmulator emulator) =>
        Results.Text(JsonSerializer.Serialize(emulator.RequestCounts, SnakeCase), "application/json; charset=utf-8");

    private static IResult Try(Action action)
    {
        try
        {
            action();
            return Ok(new JsonObject { ["success"] = true });
        }
        catch (KeyNotFoundException ex)
        {
            return EmulatorResults.Json(WireErrors.NotFound(ex.Message));
        }
        catch (ArgumentException ex)
        {
            return EmulatorResults.Json(WireErrors.BadRequest(ex.Message));
        }
    }

    private static bool TryNumber(string? text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
