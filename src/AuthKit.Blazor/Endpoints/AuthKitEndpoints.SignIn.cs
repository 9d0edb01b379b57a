using System.Globalization;
using System.Text;
using AuthKit.Session;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Blazor;


internal static partial class AuthKitEndpoints
{
    private const int MaxQueryValueLength = 512;

    public static Task<IResult> SignInAsync(HttpContext context) => StartAuthorizationAsync(context, "sign-in");

    public static Task<IResult> SignUpAsync(HttpContext context) => StartAuthorizationAsync(context, "sign-up");

    /// <summary>Seals fresh PKCE state into the per-flow verifier cookie (evicting stale ones) and redirects to WorkOS.</summary>
    private static async Task<IResult> StartAuthorizationAsync(HttpContext context, string screenHint)
    {
        var services = context.RequestServices;
        if (ReadAuthorizationOptions(context, screenHint, out var authorization) is { } invalid)
        {
            return invalid;
        }

        try
        {
            var result = await services.GetRequiredService<AuthService<HttpRequest, HttpResponse>>()
                .CreateAuthorizationAsync(context.Response, authorization, context.RequestAborted).ConfigureAwait(false);
            HttpSessionCookies.AppendHeaders(context.Response, result.Headers);
            context.Response.Headers.CacheControl = "no-store";
            return TypedResults.Redirect(result.Url.AbsoluteUri);
        }
        catch (PkcePayloadTooLargeException)
        {
            return ErrorPage(StatusCodes.Status400BadRequest, "Sign-in failed", "The sign-in request is too large (state or return path). Go back and try again.");
        }
    }

    /// <summary>
    /// Every sign-in option of the query string, checked in one place: absent is fine; a bad value is a 400 naming the
    /// option is returned. The rules: at most one value, at most 512 characters
    /// (state: 2048 UTF-8 bytes), no control characters or unpaired surrogates; <c>provider</c> one of
    /// <see cref="AuthKitProviders.All"/>; <c>connectionId</c> and <c>invitationToken</c> letters, digits, <c>_ - .</c>;
    /// <c>domainHint</c> a host name; <c>screenHint</c> <c>sign-in</c> or <c>sign-up</c>; <c>prompt</c> one of WorkOS's four;
    /// <c>maxAge</c> whole seconds; <c>redirectUri</c> the configured redirect URI or one of
    /// <see cref="AuthKitAuthenticationOptions.AllowedRedirectUris"/>.
    /// </summary>
    private static IResult? ReadAuthorizationOptions(HttpContext context, string screenHint, out AuthorizationOptions authorization)
    {
        var query = context.Request.Query;
        authorization = null!;

        IResult?[] problems =
        [
            ReadOption(query, "organizationId", out var organizationId),
            ReadOption(query, "loginHint", out var loginHint),
            ReadOption(query, "prompt", out var prompt),
            ReadOption(query, "maxAge", out var maxAgeText),
            ReadOption(query, "provider", out var provider),
            ReadOption(query, "connectionId", out var connectionId),
            ReadOption(query, "domainHint", out var domainHint),
            ReadOption(query, "screenHint", out var screenHintText),
            ReadOption(query, "invitationToken", out var invitationToken),
            ReadOption(query, "redirectUri", out var redirectUri, maxLength: 2048),
            ReadOption(query, "state", out var state, maxLength: PkceStateMaxChars),
        ];
        if (Array.Find(problems, p => p is not null) is { } invalid)
        {
            return invalid;
        }

        static bool IsIdentifier(string value) => value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
        static bool IsHostName(string value) =>
            value.Length <= 253 && Uri.CheckHostName(value) is UriHostNameType.Dns && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-');

        string? problem = null, name = null;
        if (prompt is not (null or "login" or "none" or "consent" or "select_account"))
        {
            (name, problem) = ("prompt", "must be one of login, none, consent or select_account");
        }
        else if (provider is not null && !AuthKitProviders.All.Contains(provider))
        {
            (name, problem) = ("provider", "is not a WorkOS provider (authkit, GoogleOAuth, MicrosoftOAuth, GitHubOAuth, AppleOAuth, ...)");
        }
        else if (connectionId is not null && !IsIdentifier(connectionId))
        {
            (name, problem) = ("connectionId", "may only hold letters, digits, '_', '-' and '.'");
        }
        else if (invitationToken is not null && !IsIdentifier(invitationToken))
        {
            (name, problem) = ("invitationToken", "may only hold letters, digits, '_', '-' and '.'");
        }
        else if (domainHint is not null && !IsHostName(domainHint))
        {
            (name, problem) = ("domainHint", "must be a domain name such as example.com");
        }
        else if (screenHintText is not (null or "sign-in" or "sign-up"))
        {
            (name, problem) = ("screenHint", "must be sign-in or sign-up");
        }
        else if (state is not null && System.Text.Encoding.UTF8.GetByteCount(state) > PkceStateMaxChars)
        {
            (name, problem) = ("state", $"is longer than {PkceStateMaxChars} bytes");
        }

        TimeSpan? maxAge = null;
        if (problem is null && maxAgeText is not null)
        {
            if (!int.TryParse(maxAgeText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                (name, problem) = ("maxAge", "must be a whole number of seconds");
            }
            else
            {
                maxAge = TimeSpan.FromSeconds(seconds);
            }
        }

        if (problem is null && redirectUri is not null && !IsAllowedRedirectUri(context, redirectUri))
        {
            (name, problem) = ("redirectUri", "is not one of this app's allowed redirect URIs (AuthKit:AllowedRedirectUris)");
        }

        if (problem is not null)
        {
            return InvalidOption(name!, problem);
        }

        var returnPathname = query["returnPathname"].ToString();
        authorization = new AuthorizationOptions
        {
            ScreenHint = screenHintText ?? screenHint,
            ReturnPathname = ReturnPath.Sanitize(returnPathname.Length is > 0 and <= ReturnPath.MaxLength ? returnPathname : null),
            OrganizationId = organizationId,
            LoginHint = loginHint,
            Prompt = prompt,
            MaxAge = maxAge,
            Provider = provider,
            ConnectionId = connectionId,
            DomainHint = domainHint,
            InvitationToken = invitationToken,
            State = state,
            RedirectUri = redirectUri,
            RequestCookieNames = context.Request.Cookies.Keys,
        };
        return null;
    }

    private const int PkceStateMaxChars = 2048;

    private static bool IsAllowedRedirectUri(HttpContext context, string redirectUri)
    {
        var services = context.RequestServices;
        if (string.Equals(redirectUri, services.GetRequiredService<IOptions<AuthKitOptions>>().Value.RedirectUri, StringComparison.Ordinal))
        {
            return true;
        }

        return SchemeOptions(services).AllowedRedirectUris.Contains(redirectUri, StringComparer.Ordinal);
    }

    /// <summary>
    /// Reads one sign-in option from the query: absent is fine; given more than once, longer than 512 characters, or
    /// holding control characters or unpaired surrogates (nothing WorkOS could be sent) is a 400 naming the option.
    /// </summary>
    private static IResult? ReadOption(IQueryCollection query, string name, out string? value, int maxLength = MaxQueryValueLength)
    {
        value = null;
        var values = query[name];
        if (values.Count == 0 || (values.Count == 1 && string.IsNullOrEmpty(values[0])))
        {
            return null;
        }

        if (values.Count > 1)
        {
            return InvalidOption(name, "was given more than once");
        }

        var text = values[0]!;
        if (text.Length > maxLength)
        {
            return InvalidOption(name, $"is longer than {maxLength} characters");
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c))
            {
                return InvalidOption(name, "contains control characters");
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return InvalidOption(name, "is not valid text (an unpaired surrogate)");
            }
        }

        value = text;
        return null;
    }

    private static IResult InvalidOption(string name, string problem) =>
        ErrorPage(StatusCodes.Status400BadRequest, "Sign-in failed", $"The sign-in option \"{name}\" {problem}. Go back and try again.");

    /// <summary>Completes sign-in through the core: state vs. verifier cookie, code exchange, session cookie, verifier cleared.</summary>
    public static async Task<IResult> CallbackAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var query = context.Request.Query;
        var state = Limit4K(query["state"]);
        var verifierCookie = state is null ? null : PkceCookies.GetCookieName(state);

        if (Limit(query["error"]) is { } workOSError)
        {
            var description = Limit(query["error_description"]);
            return await CallbackFailedAsync(context, verifierCookie, SafeCode(workOSError),
                "Sign-in did not complete" + (description is null ? "." : ": " + description), null).ConfigureAwait(false);
        }

        var code = Limit4K(query["code"]);
        if (code is null)
        {
            return await CallbackFailedAsync(context, verifierCookie, "missing_code", "The sign-in response has no authorization code.", null).ConfigureAwait(false);
        }

        CallbackResult<HttpResponse> result;
        try
        {
            result = await services.GetRequiredService<AuthService<HttpRequest, HttpResponse>>()
                .HandleCallbackAsync(context.Request, context.Response, code, state, context.RequestAborted).ConfigureAwait(false);
        }
        catch (SignInStepRequiredException step) when (!context.RequestAborted.IsCancellationRequested)
        {
            // Not a failure: WorkOS asks for organization selection, email verification or MFA. The verifier is spent.
            ClearVerifier(context, verifierCookie);
            return await BeginPendingSignInAsync(context, step.Pending, step.ReturnPathname, step.State, step.RedirectUri, previousFlow: null).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            var (error, message) = ex switch
            {
                OAuthStateMismatchException => ("state_mismatch", ex.Message),
                PkceCookieMissingException => ("verifier_missing", ex.Message),
                PkceStateException => ("invalid_state", "The sign-in attempt expired or was tampered with. Start the sign-in again."),
                WorkOSApiException { IsTransient: true } or HttpRequestException or TaskCanceledException =>
                    ("workos_unavailable", "WorkOS could not be reached to complete sign-in. Try again in a moment."),
                WorkOSAuthenticationRequiredException =>
                    ("authentication_required", "WorkOS needs another sign-in step that it did not describe. Start the sign-in again."),
                _ => ("exchange_failed", "WorkOS did not accept the sign-in (the code may have expired or been used). Start the sign-in again."),
            };
            return await CallbackFailedAsync(context, verifierCookie, error, message, ex).ConfigureAwait(false);
        }

        return await FinishSignInAsync(context, result).ConfigureAwait(false);
    }

    /// <summary>
    /// The end of every sign-in (the callback, or a completed pending step): the session cookie the core saved, the
    /// request's principal, <see cref="AuthKitEvents.OnSignedIn"/> (with the flow's state), and the redirect to the return path.
    /// </summary>
    private static async Task<IResult> FinishSignInAsync(HttpContext context, CallbackResult<HttpResponse> result)
    {
        var services = context.RequestServices;
        HttpSessionCookies.AppendHeaders(context.Response, result.Headers);
        var auth = result.Auth;
        if (auth.IsAuthenticated)
        {
            context.User = await CreateRequestPrincipalAsync(context, auth).ConfigureAwait(false);
        }

        var schemeOptions = SchemeOptions(services);
        var signedIn = new AuthKitSignedInContext(context, result.AuthenticationResponse, auth, result.ReturnPathname) { State = result.State };
        await AuthKitEventsRunner.Resolve(services, schemeOptions).SignedInAsync(signedIn).ConfigureAwait(false);
        LogSignedIn(Logger(context));
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Redirect(SafeLocation(ReturnPath.Sanitize(signedIn.ReturnPath)));
    }

    private static async Task<IResult> CallbackFailedAsync(HttpContext context, string? verifierCookie, string error, string message, Exception? exception)
    {
        ClearVerifier(context, verifierCookie);
        LogCallbackFailed(Logger(context), error, exception?.GetType().Name);
        var services = context.RequestServices;
        var options = SchemeOptions(services);
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
            return TypedResults.Redirect(SafeLocation(QueryHelpers.AddQueryString(context.Request.PathBase + options.ErrorPath, "error", error)));
        }

        return ErrorPage(StatusCodes.Status400BadRequest, "Sign-in failed", message, context.Request.PathBase + options.SignInPath);
    }

    private static void ClearVerifier(HttpContext context, string? verifierCookie)
    {
        if (verifierCookie is null || !PkceCookies.IsVerifierCookieName(verifierCookie))
        {
            return;
        }

        // The flow's redirect URI is unknown here (the state was not read): a scheme-agnostic delete, as the core does.
        var options = PkceCookies.GetVerifierDeletionOptions(context.RequestServices.GetRequiredService<IOptions<AuthKitOptions>>().Value);
        HttpSessionCookies.AppendSetCookie(context.Response, SetCookieSerializer.Serialize(verifierCookie, string.Empty, options, expired: true));
    }

    private static string? Limit4K(Microsoft.Extensions.Primitives.StringValues value)
    {
        var text = value.ToString();
        return text.Length is 0 or > 4096 ? null : text;
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
