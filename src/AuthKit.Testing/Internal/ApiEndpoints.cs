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

        app.MapGet("/health", () => EmulatorResults.Json(new ApiAnswer(200, new JsonObject { ["status"] = "ok" })));

        app.MapGet("/sso/jwks/{clientId}", (string clientId) => clientId == options.ClientId
            ? Results.Bytes(keys.GetJwksJson(), "application/json")
            : EmulatorResults.Json(WireErrors.NotFound("Unknown client id.")));

        app.MapPost("/user_management/authenticate", async (HttpContext ctx) =>
        {
            var fields = await RequestInput.ReadFieldsAsync(ctx);
            var bearerOk = RequestInput.HasBearer(ctx, options.ApiKey, out var bearerPresent);
            var secret = fields?.Field("client_secret");
            if ((bearerPresent && !bearerOk) || (secret is not null && !Ids.FixedTimeEquals(secret, options.ApiKey)) || (!bearerPresent && secret is null))
            {
                Log.Unauthorized(logger, ctx.Request.Path);
                return EmulatorResults.Json(WireErrors.Unauthorized());
            }

            if (fields is null)
            {
                return EmulatorResults.Json(WireErrors.OAuthError("invalid_request", "The body must be a JSON object or a form."));
            }

            Log.AuthenticateBody(logger, Redaction.RedactFields(fields));
            var clientId = fields.Field("client_id");
            if (clientId is null)
            {
                return EmulatorResults.Json(WireErrors.OAuthError("invalid_request", "client_id is required."));
            }

            if (clientId != options.ClientId)
            {
                return EmulatorResults.Json(WireErrors.OAuthError("invalid_client", "The client_id is not known."));
            }

            var grant = fields.Field("grant_type");
            return EmulatorResults.Json(grant switch
            {
                null => WireErrors.OAuthError("invalid_request", "grant_type is required."),
                EmulatorService.GrantAuthorizationCode => fields.Field("code") is not { } code
                    ? WireErrors.OAuthError("invalid_request", "code is required.")
                    : fields.Field("code_verifier") is not { } verifier
                        ? WireErrors.OAuthError("invalid_request", "code_verifier is required.")
                        : svc.ExchangeCode(code, verifier),
                EmulatorService.GrantRefreshToken => fields.Field("refresh_token") is not { } token
                    ? WireErrors.OAuthError("invalid_request", "refresh_token is required.")
                    : svc.Refresh(token, fields.Field("organization_id")),
                EmulatorService.GrantOrganizationSelection => fields.Field("pending_authentication_token") is not { } pending
                    ? WireErrors.OAuthError("invalid_request", "pending_authentication_token is required.")
                    : fields.Field("organization_id") is not { } org
                        ? WireErrors.OAuthError("invalid_request", "organization_id is required.")
                        : svc.SelectOrganization(pending, org),
                EmulatorService.GrantEmailVerification or EmulatorService.GrantEmailVerificationLegacy =>
                    fields.Field("code") is not { } code || fields.Field("pending_authentication_token") is not { } pending
                        ? WireErrors.OAuthError("invalid_request", "code and pending_authentication_token are required.")
                        : svc.VerifyEmail(pending, code),
                EmulatorService.GrantMfaTotp =>
                    fields.Field("code") is not { } code || fields.Field("pending_authentication_token") is not { } pending
                        || fields.Field("authentication_challenge_id") is not { } challengeId
                        ? WireErrors.OAuthError("invalid_request", "code, pending_authentication_token, and authentication_challenge_id are required.")
                        : svc.VerifyTotp(pending, challengeId, code),
                _ => WireErrors.OAuthError("invalid_request", "The grant_type is not supported."),
            });
        });

        app.MapPost("/auth/factors/{id}/challenge", (HttpContext ctx, string id) =>
        {
            if (!RequestInput.HasBearer(ctx, options.ApiKey, out _))
            {
                Log.Unauthorized(logger, ctx.Request.Path);
                return EmulatorResults.Json(WireErrors.Unauthorized());
            }

            return EmulatorResults.Json(svc.ChallengeFactor(id));
        });

        app.MapGet("/user_management/sessions/logout", (HttpContext ctx) =>
        {
            var sessionId = ctx.Query("session_id");
            if (sessionId is null)
            {
                return EmulatorResults.Json(WireErrors.BadRequest("session_id is required."));
            }

            var returnTo = ctx.Query("return_to");
            if (returnTo is not null && !RedirectTargets.IsAllowedRedirect(returnTo, options.AllowedRedirectHosts, out _))
            {
                return EmulatorResults.Json(WireErrors.BadRequest("return_to must be an absolute http(s) URL on a loopback or allow-listed host."));
            }

            if (svc.EndSession(sessionId))
            {
                Log.SessionEnded(logger, sessionId, "logout");
            }

            if (ctx.Request.Cookies.TryGetValue(BrowserSignIn.CookieName, out var browserId))
            {
                svc.EndBrowserSignIn(browserId);
                ctx.Response.Cookies.Delete(BrowserSignIn.CookieName, new CookieOptions { Path = "/user_management", HttpOnly = true, SameSite = SameSiteMode.Lax });
            }

            return returnTo is null
                ? EmulatorResults.Json(new ApiAnswer(200, new JsonObject { ["success"] = true }))
                : EmulatorResults.Redirect(ctx, returnTo);
        });

        app.MapPost("/user_management/sessions/revoke", async (HttpContext ctx) =>
        {
            if (!RequestInput.HasBearer(ctx, options.ApiKey, out _))
            {
                Log.Unauthorized(logger, ctx.Request.Path);
                return EmulatorResults.Json(WireErrors.Unauthorized());
            }

            var fields = await RequestInput.ReadFieldsAsync(ctx);
            if (fields?.Field("session_id") is not { } sessionId)
            {
                return EmulatorResults.Json(WireErrors.BadRequest("session_id is required."));
            }

            if (!svc.EndSession(sessionId))
            {
                return EmulatorResults.Json(WireErrors.NotFound("Session not found."));
            }

            Log.SessionEnded(logger, sessionId, "revoked");
            return EmulatorResults.Json(new ApiAnswer(200, new JsonObject { ["success"] = true }));
        });

        app.MapGet("/user_management/organization_memberships", (HttpContext ctx) =>
        {
            if (!RequestInput.HasBearer(ctx, options.ApiKey, out _))
            {
                Log.Unauthorized(logger, ctx.Request.Path);
                return EmulatorResults.Json(WireErrors.Unauthorized());
            }

            var userId = ctx.Query("user_id");
            var orgFilter = ctx.Query("organization_id");
            if (userId is null && orgFilter is null)
            {
                return EmulatorResults.Json(WireErrors.BadRequest("user_id or organization_id is required."));
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
                    data.Add(WireJson.Membership(membership, org));
                }
            }

            return EmulatorResults.Json(new ApiAnswer(200, new JsonObject
            {
                ["object"] = "list",
                ["data"] = data,
                ["list_metadata"] = new JsonObject { ["before"] = null, ["after"] = null },
            }));
        });

        app.MapGet("/organizations/{id}", (HttpContext ctx, string id) =>
        {
            if (!RequestInput.HasBearer(ctx, options.ApiKey, out _))
            {
                Log.Unauthorized(logger, ctx.Request.Path);
                return EmulatorResults.Json(WireErrors.Unauthorized());
            }

            return svc.FindOrganization(id) is { } org
                ? EmulatorResults.Json(new ApiAnswer(200, WireJson.Organization(org)))
                : EmulatorResults.Json(WireErrors.NotFound("Organization not found."));
        });
    }

    public static string Seconds(TimeSpan t) => ((long)t.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
