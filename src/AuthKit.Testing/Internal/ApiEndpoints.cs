using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace AuthKit.Testing.Internal;

/// <summary>The WorkOS API endpoints (everything except the sign-in page).</summary>
internal static class ApiEndpoints
{
    public static void Map(IEndpointRouteBuilder app, EmulatorService svc, SigningKeyRing keys, ILogger logger)
    {
        var options = svc.Options;

        app.MapGet("/health", () => HttpBits.Json(new ApiAnswer(200, new JsonObject { ["status"] = "ok" })));

        app.MapGet("/sso/jwks/{clientId}", (string clientId) => clientId == options.ClientId
            ? Results.Bytes(keys.GetJwksJson(), "application/json")
            : HttpBits.Json(Wire.NotFound("Unknown client id.")));

        app.MapPost("/user_management/authenticate", async (HttpContext ctx) =>
        {
            var fields = await HttpBits.ReadFieldsAsync(ctx);
            var bearerOk = HttpBits.HasBearer(ctx, options.ApiKey, out var bearerPresent);
            var secret = fields?.Field("client_secret");
            if ((bearerPresent && !bearerOk) || (secret is not null && !Ids.FixedTimeEquals(secret, options.ApiKey)) || (!bearerPresent && secret is null))
            {
                Log.Unauthorized(logger, ctx.Request.Path);
                return HttpBits.Json(Wire.Unauthorized());
            }

            if (fields is null)
            {
                return HttpBits.Json(Wire.OAuthError("invalid_request", "The body must be a JSON object or a form."));
            }

            Log.AuthenticateBody(logger, HttpBits.RedactFields(fields));
            var clientId = fields.Field("client_id");
            if (clientId is null)
            {
                return HttpBits.Json(Wire.OAuthError("invalid_request", "client_id is required."));
            }

            if (clientId != options.ClientId)
            {
                return HttpBits.Json(Wire.OAuthError("invalid_client", "The client_id is not known."));
            }

            var grant = fields.Field("grant_type");
            return HttpBits.Json(grant switch
            {
                null => Wire.OAuthError("invalid_request", "grant_type is required."),
                EmulatorService.GrantAuthorizationCode => fields.Field("code") is not { } code
                    ? Wire.OAuthError("invalid_request", "code is required.")
                    : fields.Field("code_verifier") is not { } verifier
                        ? Wire.OAuthError("invalid_request", "code_verifier is required.")
                        : svc.ExchangeCode(code, verifier),
                EmulatorService.GrantRefreshToken => fields.Field("refresh_token") is not { } token
                    ? Wire.OAuthError("invalid_request", "refresh_token is required.")
                    : svc.Refresh(token, fields.Field("organization_id")),
                EmulatorService.GrantOrganizationSelection => fields.Field("pending_authentication_token") is not { } pending
                    ? Wire.OAuthError("invalid_request", "pending_authentication_token is required.")
                    : fields.Field("organization_id") is not { } org
                        ? Wire.OAuthError("invalid_request", "organization_id is required.")
                        : svc.SelectOrganization(pending, org),
                _ => Wire.OAuthError("invalid_request", "The grant_type is not supported."),
            });
        });

        app.MapGet("/user_management/sessions/logout", (HttpContext ctx) =>
        {
            var sessionId = ctx.Query("session_id");
            if (sessionId is null)
            {
                return HttpBits.Json(Wire.BadRequest("session_id is required."));
            }

            var returnTo = ctx.Query("return_to");
            if (returnTo is not null && !HttpBits.IsAllowedRedirect(returnTo, options.AllowedRedirectHosts, out _))
            {
                return HttpBits.Json(Wire.BadRequest("return_to must be an absolute http(s) URL on a loopback or allow-listed host."));
            }

            if (svc.EndSession(sessionId))
            {
                Log.SessionEnded(logger, sessionId, "logout");
            }

            if (ctx.Request.Cookies.TryGetValue(HttpBits.BrowserCookie, out var browserId))
            {
                svc.EndBrowserSignIn(browserId);
                ctx.Response.Cookies.Delete(HttpBits.BrowserCookie, new CookieOptions { Path = "/user_management", HttpOnly = true, SameSite = SameSiteMode.Lax });
            }

            return returnTo is null
                ? HttpBits.Json(new ApiAnswer(200, new JsonObject { ["success"] = true }))
                : HttpBits.Redirect(ctx, returnTo);
        });

        app.MapPost("/user_management/sessions/revoke", async (HttpContext ctx) =>
        {
            if (!HttpBits.HasBearer(ctx, options.ApiKey, out _))
            {
                Log.Unauthorized(logger, ctx.Request.Path);
                return HttpBits.Json(Wire.Unauthorized());
            }

            var fields = await HttpBits.ReadFieldsAsync(ctx);
            if (fields?.Field("session_id") is not { } sessionId)
            {
                return HttpBits.Json(Wire.BadRequest("session_id is required."));
            }

            if (!svc.EndSession(sessionId))
            {
                return HttpBits.Json(Wire.NotFound("Session not found."));
            }

            Log.SessionEnded(logger, sessionId, "revoked");
            return HttpBits.Json(new ApiAnswer(200, new JsonObject { ["success"] = true }));
        });

        app.MapGet("/user_management/organization_memberships", (HttpContext ctx) =>
        {
            if (!HttpBits.HasBearer(ctx, options.ApiKey, out _))
            {
                Log.Unauthorized(logger, ctx.Request.Path);
                return HttpBits.Json(Wire.Unauthorized());
            }

            var userId = ctx.Query("user_id");
            var orgFilter = ctx.Query("organization_id");
            if (userId is null && orgFilter is null)
            {
                return HttpBits.Json(Wire.BadRequest("user_id or organization_id is required."));
            }

            var statuses = ctx.Request.Query["statuses"].Concat(ctx.Request.Query["statuses[]"])
                .SelectMany(s => (s ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .ToHashSet(StringComparer.Ordinal);
            var data = new JsonArray();
            foreach (var (membership, org) in svc.AllMemberships())
            {
                if ((userId is null || membership.UserId == userId) && (orgFilter is null || membership.OrgId == orgFilter)
                    && (statuses.Count == 0 || statuses.Contains(membership.Status)))
                {
                    data.Add(Wire.Membership(membership, org));
                }
            }

            return HttpBits.Json(new ApiAnswer(200, new JsonObject
            {
                ["object"] = "list",
                ["data"] = data,
                ["list_metadata"] = new JsonObject { ["before"] = null, ["after"] = null },
            }));
        });

        app.MapGet("/organizations/{id}", (HttpContext ctx, string id) =>
        {
            if (!HttpBits.HasBearer(ctx, options.ApiKey, out _))
            {
                Log.Unauthorized(logger, ctx.Request.Path);
                return HttpBits.Json(Wire.Unauthorized());
            }

            return svc.FindOrganization(id) is { } org
                ? HttpBits.Json(new ApiAnswer(200, Wire.Organization(org)))
                : HttpBits.Json(Wire.NotFound("Organization not found."));
        });
    }

    public static string Seconds(TimeSpan t) => ((long)t.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
