using System.Net;
using AuthKit.Session;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor;

/// <summary>
/// Pending sign-in steps: the callback (or a completed step) met a WorkOS continuation; the step is sealed into the flow's
/// cookie and a page (built-in or the app's, through <see cref="AuthKitEvents.OnPendingSignIn"/>) asks for the answer,
/// which is posted to <see cref="AuthKitAuthenticationOptions.PendingSignInPath"/>.
/// </summary>
internal static partial class AuthKitEndpoints
{
    private const int MaxOrganizations = 40;

    /// <summary>Seals the step into a new flow cookie and shows its page (the previous flow's cookie, if any, is cleared).</summary>
    private static async Task<IResult> BeginPendingSignInAsync(HttpContext context, PendingAuthentication pending, string returnPath, string? state, string? redirectUri, string? previousFlow)
    {
        var services = context.RequestServices;
        var settings = services.GetRequiredService<IOptions<AuthKitOptions>>().Value;
        if (previousFlow is not null)
        {
            HttpSessionCookies.AppendSetCookie(context.Response, PendingSignInCookie.Clear(previousFlow, settings, redirectUri));
        }

        var challengeId = pending.AuthenticationChallengeId;
        var totp = pending.AuthenticationFactors.FirstOrDefault(f => string.Equals(f.Type, "totp", StringComparison.Ordinal));
        if (pending.Kind == PendingAuthenticationKind.MfaChallenge && challengeId is null && totp is not null)
        {
            try
            {
                challengeId = await services.GetRequiredService<IWorkOSUserManagement>().ChallengeAuthenticationFactorAsync(totp.Id, context.RequestAborted).ConfigureAwait(false);
            }
            catch (WorkOSApiException ex)
            {
                // Without a challenge the page explains the step and offers a restart.
                LogPendingStepFailed(Logger(context), "challenge_failed", ex.GetType().Name);
            }
        }

        var record = new PendingSignIn
        {
            Flow = PendingSignInCookie.NewFlowId(),
            Kind = pending.Kind.ToString(),
            Code = pending.Code,
            Token = pending.Token,
            Email = pending.Email,
            UserId = pending.User?.Id,
            EmailVerificationId = pending.EmailVerificationId,
            Organizations = [.. pending.Organizations.Take(MaxOrganizations).Select(o => new PendingOrganization { Id = o.Id, Name = o.Name })],
            ChallengeId = pending.Kind == PendingAuthenticationKind.MfaChallenge && (totp is not null || pending.AuthenticationFactors.Count == 0) ? challengeId : null,
            ReturnPath = returnPath,
            State = state,
            RedirectUri = redirectUri,
        };
        var header = PendingSignInCookie.Seal(record, settings, services.GetRequiredService<TimeProvider>());
        if (header is null)
        {
            return ErrorPage(StatusCodes.Status400BadRequest, "Sign-in failed", "This sign-in step carries too much data to continue (too many organizations or a long return path). Start the sign-in again.", RestartPath(context, returnPath));
        }

        HttpSessionCookies.AppendSetCookie(context.Response, header);
        LogPendingStep(Logger(context), pending.Code);
        return await ShowPendingPageAsync(context, record, error: null, mustRestart: false, StatusCodes.Status200OK).ConfigureAwait(false);
    }

    /// <summary>The page for a step: the app's (when <see cref="AuthKitEvents.OnPendingSignIn"/> sets a result) or the built-in one.</summary>
    private static async Task<IResult> ShowPendingPageAsync(HttpContext context, PendingSignIn record, string? error, bool mustRestart, int statusCode)
    {
        var services = context.RequestServices;
        var options = SchemeOptions(services);
        var tokens = services.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        var kind = record.KindValue;
        var page = new AuthKitPendingSignInContext(context, kind, record.Code)
        {
            CanComplete = !mustRestart && kind switch
            {
                PendingAuthenticationKind.OrganizationSelection => record.Organizations.Count > 0,
                PendingAuthenticationKind.EmailVerification => true,
                PendingAuthenticationKind.MfaChallenge => record.ChallengeId is not null,
                _ => false,
            },
            Organizations = [.. record.Organizations.Select(o => new Organization { Id = o.Id, Name = o.Name })],
            Email = record.Email,
            FormAction = context.Request.PathBase + options.PendingSignInPath,
            FlowId = record.Flow,
            AntiforgeryFieldName = tokens.FormFieldName,
            AntiforgeryToken = tokens.RequestToken ?? string.Empty,
            RestartPath = RestartPath(context, record.ReturnPath),
            Error = error,
            MustRestart = mustRestart,
            StatusCode = statusCode,
        };
        context.Response.Headers.CacheControl = "no-store";
        await AuthKitEventsRunner.Resolve(services, options).PendingSignInAsync(page).ConfigureAwait(false);
        if (page.Result is { } custom)
        {
            return custom;
        }

        // The built-in page is never framed (a chooser under someone else's page is a clickjacking target).
        context.Response.Headers.ContentSecurityPolicy = "frame-ancestors 'none'";
        context.Response.Headers.XFrameOptions = "DENY";
        return PendingSignInPages.Render(page);
    }

    /// <summary>The answer to a step's page: choose the organization, or enter the email or TOTP code.</summary>
    public static async Task<IResult> PendingSignInAsync(HttpContext context)
    {
        var services = context.RequestServices;
        if (await ValidateAntiforgeryAsync(context).ConfigureAwait(false) is { } rejected)
        {
            return rejected;
        }

        var settings = services.GetRequiredService<IOptions<AuthKitOptions>>().Value;
        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var flow = form["flow"].ToString();
        var record = PendingSignInCookie.IsFlowId(flow)
            ? PendingSignInCookie.Read(context.Request.Cookies[PendingSignInCookie.CookieName(flow)], flow, settings, services.GetRequiredService<TimeProvider>())
            : null;
        if (record is null)
        {
            if (PendingSignInCookie.IsFlowId(flow))
            {
                HttpSessionCookies.AppendSetCookie(context.Response, PendingSignInCookie.Clear(flow, settings, null));
            }

            LogPendingStepFailed(Logger(context), "unknown_or_expired_flow", null);
            return ErrorPage(StatusCodes.Status400BadRequest, "Sign-in step expired",
                "This sign-in step is unknown, was already finished, or has expired (it lasts 10 minutes). Start the sign-in again.",
                RestartPath(context, "/"));
        }

        var auth = services.GetRequiredService<AuthService<HttpRequest, HttpResponse>>();
        Task<CallbackResult<HttpResponse>> completion;
        switch (record.KindValue)
        {
            case PendingAuthenticationKind.OrganizationSelection:
                var organizationId = form["organizationId"].ToString();
                if (!record.Organizations.Exists(o => string.Equals(o.Id, organizationId, StringComparison.Ordinal)))
                {
                    return await ShowPendingPageAsync(context, record, "Choose one of the listed organizations.", false, StatusCodes.Status400BadRequest).ConfigureAwait(false);
                }

                completion = auth.CompleteOrganizationSelectionAsync(context.Response, record.Token, organizationId, record.ReturnPath, record.State, context.RequestAborted);
                break;
            case PendingAuthenticationKind.EmailVerification:
                if (NormalizeCode(form["code"].ToString(), 4, 32) is not { } emailCode)
                {
                    return await ShowPendingPageAsync(context, record, "Enter the code from the email (letters and digits only).", false, StatusCodes.Status400BadRequest).ConfigureAwait(false);
                }

                completion = auth.CompleteEmailVerificationAsync(context.Response, record.Token, emailCode, record.ReturnPath, record.State, context.RequestAborted);
                break;
            case PendingAuthenticationKind.MfaChallenge when record.ChallengeId is not null:
                if (NormalizeCode(form["code"].ToString(), 6, 10) is not { } totpCode || !totpCode.All(char.IsAsciiDigit))
                {
                    return await ShowPendingPageAsync(context, record, "Enter the 6-digit code from your authenticator app.", false, StatusCodes.Status400BadRequest).ConfigureAwait(false);
                }

                completion = auth.CompleteTotpAsync(context.Response, record.Token, record.ChallengeId, totpCode, record.ReturnPath, record.State, context.RequestAborted);
                break;
            default:
                return await ShowPendingPageAsync(context, record, null, true, StatusCodes.Status400BadRequest).ConfigureAwait(false);
        }

        CallbackResult<HttpResponse> result;
        try
        {
            result = await completion.ConfigureAwait(false);
        }
        catch (SignInStepRequiredException next)
        {
            // WorkOS chains steps (email, then MFA, then organization): the next one gets a new flow.
            return await BeginPendingSignInAsync(context, next.Pending, record.ReturnPath, record.State, record.RedirectUri, previousFlow: record.Flow).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested && ex is WorkOSApiException or HttpRequestException or TaskCanceledException)
        {
            var code = (ex as WorkOSApiException)?.ErrorCode;
            LogPendingStepFailed(Logger(context), code ?? "workos_error", ex.GetType().Name);
            switch (code)
            {
                case "invalid_code":
                    return await ShowPendingPageAsync(context, record, "That code is not correct. Check the latest email and try again.", false, StatusCodes.Status400BadRequest).ConfigureAwait(false);
                case "invalid_one_time_code":
                    return await ShowPendingPageAsync(context, record, "That code is not correct. Enter the current code from your authenticator app.", false, StatusCodes.Status400BadRequest).ConfigureAwait(false);
                case "expired_code" or "expired_challenge":
                    HttpSessionCookies.AppendSetCookie(context.Response, PendingSignInCookie.Clear(record.Flow, settings, record.RedirectUri));
                    return await ShowPendingPageAsync(context, record, "This code has expired. Start the sign-in again to get a new one.", true, StatusCodes.Status400BadRequest).ConfigureAwait(false);
            }

            if (ex is not WorkOSApiException { IsTransient: false })
            {
                return await ShowPendingPageAsync(context, record, "WorkOS could not be reached. Try again in a moment.", false, StatusCodes.Status503ServiceUnavailable).ConfigureAwait(false);
            }

            HttpSessionCookies.AppendSetCookie(context.Response, PendingSignInCookie.Clear(record.Flow, settings, record.RedirectUri));
            return await ShowPendingPageAsync(context, record, "WorkOS did not accept this sign-in step (it may have expired or been used). Start the sign-in again.", true, StatusCodes.Status400BadRequest).ConfigureAwait(false);
        }

        HttpSessionCookies.AppendSetCookie(context.Response, PendingSignInCookie.Clear(record.Flow, settings, record.RedirectUri));
        return await FinishSignInAsync(context, result).ConfigureAwait(false);
    }

    /// <summary>Trims and removes spaces and dashes; null unless the rest is <paramref name="min"/>..<paramref name="max"/> ASCII letters or digits.</summary>
    private static string? NormalizeCode(string text, int min, int max)
    {
        var code = new string([.. text.Where(c => c is not (' ' or '-' or '\t'))]);
        return code.Length >= min && code.Length <= max && code.All(char.IsAsciiLetterOrDigit) ? code : null;
    }

    /// <summary>The sign-in endpoint with the flow's return path: starting again from the beginning.</summary>
    private static string RestartPath(HttpContext context, string returnPath) =>
        QueryHelpers.AddQueryString(context.Request.PathBase + SchemeOptions(context.RequestServices).SignInPath, "returnPathname", returnPath);

    [LoggerMessage(EventId = 5410, Level = LogLevel.Information, Message = "AuthKit sign-in needs another step ({Step}); showing its page.")]
    private static partial void LogPendingStep(ILogger logger, string step);

    [LoggerMessage(EventId = 5411, Level = LogLevel.Warning, Message = "AuthKit pending sign-in step refused ({Reason}, {ExceptionType}).")]
    private static partial void LogPendingStepFailed(ILogger logger, string reason, string? exceptionType);
}
