using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AuthKit.Testing.Internal;

/// <summary>
/// The middleware in front of every endpoint: the Host check, request counts, fault injection, and the redacted request log.
/// </summary>
internal static class RequestPipeline
{
    private const string HostRejectedMessage =
        "The WorkOS emulator answers only requests addressed to a loopback host (localhost, 127.x.x.x, [::1]) or to a host in "
        + "WorkOSEmulatorOptions.AllowedRedirectHosts; this request's Host header is neither. Use the emulator's BaseUri.\n";

    public static void Use(IApplicationBuilder app, EmulatorService svc, FaultStore faults, CancellationToken stopping, ILogger logger)
    {
        app.Use(async (ctx, next) =>
        {
            var path = ctx.Request.Path.Value ?? "/";
            var method = ctx.Request.Method;

            // DNS rebinding: a page whose own name now resolves to 127.0.0.1 reaches this port, but its requests carry
            // its own name as Host. Only loopback and allow-listed names get an answer; nothing else is counted or run.
            if (!RedirectTargets.IsLoopbackOrAllowedHost(ctx.Request.Host.Host, svc.Options.AllowedRedirectHosts))
            {
                var host = ctx.Request.Host.Value ?? "";
                Log.HostRejected(logger, path, host.Length > 100 ? host[..100] + "..." : host);
                ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
                ctx.Response.ContentType = "text/plain; charset=utf-8";
                ctx.Response.Headers.CacheControl = "no-store";
                ctx.Response.Headers.XContentTypeOptions = "nosniff";
                await ctx.Response.WriteAsync(HostRejectedMessage, Encoding.UTF8, ctx.RequestAborted);
                return;
            }

            var query = Redaction.RedactQuery(ctx.Request.Query);
            ctx.Response.Headers["X-Request-ID"] = Ids.New("req_");
            if (path.StartsWith("/_emulator", StringComparison.OrdinalIgnoreCase))
            {
                await next(ctx);
                Log.Request(logger, method, path, query, ctx.Response.StatusCode);
                return;
            }

            svc.Counters.Increment(RequestCounters.Total);
            string? grant = null;
            if (HttpMethods.IsPost(method) && path.Equals("/user_management/authenticate", StringComparison.OrdinalIgnoreCase))
            {
                grant = (await RequestInput.ReadFieldsAsync(ctx))?.Field("grant_type");
                svc.Counters.Increment(grant switch
                {
                    EmulatorService.GrantAuthorizationCode => RequestCounters.AuthorizationCode,
                    EmulatorService.GrantRefreshToken => RequestCounters.RefreshToken,
                    EmulatorService.GrantOrganizationSelection => RequestCounters.OrganizationSelection,
                    EmulatorService.GrantEmailVerification or EmulatorService.GrantEmailVerificationLegacy => RequestCounters.EmailVerification,
                    EmulatorService.GrantMfaTotp => RequestCounters.MfaTotp,
                    _ => RequestCounters.OtherGrant,
                });
            }
            else if (CounterFor(path) is { } counter && (HttpMethods.IsGet(method) || HttpMethods.IsPost(method)))
            {
                svc.Counters.Increment(counter);
            }

            if (faults.TryTake(method, path, grant) is { } fault)
            {
                svc.Counters.Increment(RequestCounters.FaultsServed);
                Log.FaultServed(logger, method, path, fault.Status, fault.Delay);
                if (fault.Delay is { } delay && delay > TimeSpan.Zero)
                {
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, stopping);
                    try
                    {
                        await Task.Delay(delay, svc.Options.TimeProvider, linked.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        ctx.Abort();
                        return;
                    }
                }

                if (fault.Status is { } status)
                {
                    ctx.Response.StatusCode = status;
                    if (fault.RetryAfter is { } retryAfter)
                    {
                        ctx.Response.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                    }

                    ctx.Response.ContentType = "application/json; charset=utf-8";
                    var body = fault.Body ?? (status == 429 ? WireErrors.RateLimitBody().ToJsonString() : """{"message":"Injected fault","code":"emulator_fault"}""");
                    await ctx.Response.WriteAsync(body, Encoding.UTF8, ctx.RequestAborted);
                    Log.Request(logger, method, path, query, status);
                    return;
                }
            }

            await next(ctx);
            Log.Request(logger, method, path, query, ctx.Response.StatusCode);
        });
    }

    private static int? CounterFor(string path) =>
        path.Equals("/user_management/authorize", StringComparison.OrdinalIgnoreCase) ? RequestCounters.Authorize :
        path.StartsWith("/sso/jwks/", StringComparison.OrdinalIgnoreCase) ? RequestCounters.Jwks :
        path.Equals("/user_management/sessions/logout", StringComparison.OrdinalIgnoreCase) ? RequestCounters.Logout :
        path.Equals("/user_management/sessions/revoke", StringComparison.OrdinalIgnoreCase) ? RequestCounters.Revoke :
        path.Equals("/user_management/organization_memberships", StringComparison.OrdinalIgnoreCase) ? RequestCounters.OrganizationMemberships :
        path.StartsWith("/organizations/", StringComparison.OrdinalIgnoreCase) ? RequestCounters.Organizations :
        null;
}
