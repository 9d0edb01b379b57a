using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AuthKit.Session;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor;

using Session = AuthKit.Session.Session;

internal static partial class AuthKitEndpoints
{
    private const int MaxQueryValueLength = 512;

    public static Task<IResult> SignInAsync(HttpContext context) => Task.FromResult(StartAuthorization(context, "sign-in"));

    public static Task<IResult> SignUpAsync(HttpContext context) => Task.FromResult(StartAuthorization(context, "sign-up"));

    /// <summary>Seals fresh PKCE state into the verifier cookie and redirects to WorkOS.</summary>
    private static IResult StartAuthorization(HttpContext context, string screenHint)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<AuthKitOptions>>().Value;
        var query = context.Request.Query;
        var returnPath = ReturnPath.Sanitize(Limit(query["returnPathname"]));
        TimeSpan? maxAge = int.TryParse(Limit(query["maxAge"]), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : null;
        var prompt = Limit(query["prompt"]);
        if (prompt is not (null or "login" or "none" or "consent" or "select_account"))
        {
            prompt = null;
        }

        PkceAuthorizationState state;
        Uri url;
        try
        {
            var encryption = services.GetRequiredService<ISessionEncryption>();
            state = Pkce.CreateAuthorizationState(encryption, options, returnPath);
            url = services.GetRequiredService<IWorkOSUserManagement>().GetAuthorizationUrl(new AuthorizationUrlRequest
            {
                RedirectUri = options.RedirectUri!,
                State = state.SealedState,
                CodeChallenge = state.CodeChallenge,
                ScreenHint = screenHint,
                OrganizationId = Limit(query["organizationId"]),
                LoginHint = Limit(query["loginHint"]),
                Prompt = prompt,
                MaxAge = maxAge,
            });
        }
        catch (PkcePayloadTooLargeException)
        {
            return ErrorPage(StatusCodes.Status400BadRequest, "Sign-in failed", "The sign-in request is too large (return path). Go back and try again.");
        }

        // Keep at most a handful of pending flows (several tabs may sign in at once).
        var stale = PkceCookies.SelectStaleVerifierCookieNames(context.Request.Cookies.Keys, state.CookieName);
        var verifierOptions = PkceCookies.GetVerifierCookieOptions(options);
        foreach (var name in stale)
        {
            HttpSessionCookies.AppendSetCookie(context.Response, SetCookieSerializer.Serialize(name, string.Empty, verifierOptions, expired: true));
        }

        HttpSessionCookies.AppendSetCookie(context.Response, state.SetCookieHeader);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Redirect(url.ToString());
    }

    /// <summary>Completes sign-in: checks state against the verifier cookie, exchanges the code, writes the session cookie.</summary>
    public static async Task<IResult> CallbackAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<AuthKitOptions>>().Value;
        var query = context.Request.Query;
        var state = query["state"].ToString();
        var verifierCookie = state.Length > 0 ? PkceCookies.GetCookieName(state) : null;

        if (Limit(query["error"]) is { } workOSError)
        {
            var description = Limit(query["error_description"]);
            return await CallbackFailedAsync(context, verifierCookie, SafeCode(workOSError),
                "Sign-in did not complete" + (description is null ? "." : ": " + description), null).ConfigureAwait(false);
        }

        var code = query["code"].ToString();
        if (code.Length == 0 || code.Length > 4096)
        {
            return await CallbackFailedAsync(context, verifierCookie, "missing_code", "The sign-in response has no authorization code.", null).ConfigureAwait(false);
        }

        if (state.Length == 0)
        {
            return await CallbackFailedAsync(context, null, "state_mismatch", "The sign-in response has no state.", null).ConfigureAwait(false);
        }

        var cookieValue = context.Request.Cookies[verifierCookie!];
        if (string.IsNullOrEmpty(cookieValue))
        {
            return await CallbackFailedAsync(context, verifierCookie, "verifier_missing", new PkceCookieMissingException().Message, null).ConfigureAwait(false);
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(state), Encoding.UTF8.GetBytes(cookieValue)))
        {
            return await CallbackFailedAsync(context, verifierCookie, "state_mismatch", new OAuthStateMismatchException().Message, null).ConfigureAwait(false);
        }

        PkceState pkce;
        try
        {
            pkce = services.GetRequiredService<ISessionEncryption>().UnsealState(cookieValue, options.CookiePassword ?? string.Empty);
        }
        catch (AuthKitException ex)
        {
            return await CallbackFailedAsync(context, verifierCookie, "invalid_state", "The sign-in attempt expired or was tampered with. Start the sign-in again.", ex).ConfigureAwait(false);
        }

        AuthenticationResponse response;
        try
        {
            response = await services.GetRequiredService<IWorkOSUserManagement>().AuthenticateWithCodeAsync(code, pkce.CodeVerifier, context.RequestAborted).ConfigureAwait(false);
        }
        catch (WorkOSApiException ex) when (ex.IsTransient)
        {
            return await CallbackFailedAsync(context, verifierCookie, "workos_unavailable", "WorkOS could not be reached to complete sign-in. Try again in a moment.", ex).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AuthKitException or HttpRequestException or TaskCanceledException && !context.RequestAborted.IsCancellationRequested)
        {
            return await CallbackFailedAsync(context, verifierCookie, "exchange_failed", "WorkOS did not accept the sign-in (the code may have expired or been used). Start the sign-in again.", ex).ConfigureAwait(false);
        }

        var backend = services.GetRequiredService<IAuthKitSessionBackend>();
        var session = new Session
        {
            AccessToken = response.AccessToken,
            RefreshToken = response.RefreshToken,
            User = response.User,
            Impersonator = response.Impersonator,
        };
        var claims = (await backend.VerifyAsync(session.AccessToken, context.RequestAborted).ConfigureAwait(false)).Claims
            ?? backend.TryReadClaims(session.AccessToken);
        if (claims is null)
        {
            return await CallbackFailedAsync(context, verifierCookie, "exchange_failed", "WorkOS returned an unreadable access token.", null).ConfigureAwait(false);
        }

        var cookies = services.GetRequiredService<HttpSessionCookies>();
        cookies.WriteSession(context.Response, backend.Seal(session));
        ClearVerifier(context, verifierCookie, pkce.RedirectUri);

        var auth = AuthResult.FromSession(session, claims);
        context.User = AuthKitIdentity.CreatePrincipal(auth);
        var blazorOptions = services.GetRequiredService<IOptions<AuthKitBlazorOptions>>().Value;
        var signedIn = new AuthKitSignedInContext(context, response, auth, ReturnPath.Sanitize(pkce.ReturnPathname));
        await AuthKitEventsRunner.Resolve(services, blazorOptions).SignedInAsync(signedIn).ConfigureAwait(false);
        LogSignedIn(Logger(context));
        return TypedResults.Redirect(ReturnPath.Sanitize(signedIn.ReturnPath));
    }

    private static async Task<IResult> CallbackFailedAsync(HttpContext context, string? verifierCookie, string error, string message, Exception? exception)
    {
        ClearVerifier(context, verifierCookie, redirectUri: null);
        LogCallbackFailed(Logger(context), error, exception?.GetType().Name);
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<AuthKitBlazorOptions>>().Value;
        var failed = new AuthKitCallbackErrorContext(context, error, message, exception);
        try
        {
            await AuthKitEventsRunner.Resolve(services, options).CallbackErrorAsync(failed).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogCallbackHandlerFailed(Logger(context), ex);
        }

        if (failed.Result is { } custom)
        {
            return custom;
        }

        if (!string.IsNullOrEmpty(options.ErrorPath))
        {
            return TypedResults.Redirect(QueryHelpers.AddQueryString(context.Request.PathBase + options.ErrorPath, "error", error));
        }

        return ErrorPage(StatusCodes.Status400BadRequest, "Sign-in failed", message, context.Request.PathBase + options.SignInPath);
    }

    private static void ClearVerifier(HttpContext context, string? verifierCookie, string? redirectUri)
    {
        if (verifierCookie is null || !PkceCookies.IsVerifierCookieName(verifierCookie))
        {
            return;
        }

        var options = PkceCookies.GetVerifierCookieOptions(context.RequestServices.GetRequiredService<IOptions<AuthKitOptions>>().Value, redirectUri);
        if (redirectUri is null && string.Equals(options.SameSite, "lax", StringComparison.OrdinalIgnoreCase))
        {
            // Scheme-agnostic delete (as the npm package does before the state is known): browsers match on name/domain/path.
            options = options with { Secure = false };
        }

        HttpSessionCookies.AppendSetCookie(context.Response, SetCookieSerializer.Serialize(verifierCookie, string.Empty, options, expired: true));
    }

    private static string? Limit(Microsoft.Extensions.Primitives.StringValues value)
    {
        var text = value.ToString();
        return text.Length is 0 or > MaxQueryValueLength ? null : text;
    }

    private static string SafeCode(string error)
    {
        var builder = new StringBuilder(Math.Min(error.Length, 64));
        foreach (var c in error.AsSpan(0, Math.Min(error.Length, 64)))
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            {
                builder.Append(c);
            }
        }

        return builder.Length == 0 ? "error" : builder.ToString();
    }

    [LoggerMessage(EventId = 5405, Level = LogLevel.Information, Message = "AuthKit sign-in completed.")]
    private static partial void LogSignedIn(ILogger logger);

    [LoggerMessage(EventId = 5406, Level = LogLevel.Warning, Message = "AuthKit sign-in callback failed ({Error}, {ExceptionType}).")]
    private static partial void LogCallbackFailed(ILogger logger, string error, string? exceptionType);

    [LoggerMessage(EventId = 5407, Level = LogLevel.Error, Message = "The AuthKit OnCallbackError handler threw; showing the default error response.")]
    private static partial void LogCallbackHandlerFailed(ILogger logger, Exception exception);
}
