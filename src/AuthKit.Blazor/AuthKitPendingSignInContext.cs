using AuthKit.Session;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Blazor;

/// <summary>
/// Context of <see cref="AuthKitEvents.OnPendingSignIn"/>: WorkOS needs another step (organization selection, email
/// verification, MFA) before the sign-in completes, and AuthKit is about to show its built-in page for it. Set
/// <see cref="Result"/> to show your own page instead, e.g.
/// <c>context.Result = new RazorComponentResult&lt;MyChooser&gt;(new { Step = context })</c>. Your page posts a form to
/// <see cref="FormAction"/> with the field <c>flow</c> = <see cref="FlowId"/>, the antiforgery field
/// (<see cref="AntiforgeryFieldName"/> = <see cref="AntiforgeryToken"/>) and the step's answer: <c>organizationId</c>
/// (one of <see cref="Organizations"/>) or <c>code</c> (email or TOTP code). The pending token never appears here: it stays
/// sealed in the flow's cookie.
/// </summary>
public sealed class AuthKitPendingSignInContext : AuthKitEventContext
{
    /// <summary>Creates the context.</summary>
    public AuthKitPendingSignInContext(HttpContext httpContext, PendingAuthenticationKind step, string code) : base(httpContext.RequestServices, httpContext)
    {
        Step = step;
        Code = code;
    }

    /// <summary>The step.</summary>
    public PendingAuthenticationKind Step { get; }

    /// <summary>WorkOS's step code (e.g. <c>mfa_enrollment</c>), useful for <see cref="PendingAuthenticationKind.Other"/>.</summary>
    public string Code { get; }

    /// <summary>
    /// Whether the page can complete the step here: choose an organization, enter an email code, or enter a TOTP code.
    /// False for steps AuthKit cannot finish in the app (MFA enrollment, SMS factors, SSO required): show an explanation and
    /// <see cref="RestartPath"/>.
    /// </summary>
    public bool CanComplete { get; init; }

    /// <summary>The organizations WorkOS offers (organization selection). Default empty.</summary>
    public IReadOnlyList<Organization> Organizations { get; init; } = [];

    /// <summary>Where the code was sent (email verification), else the email of the user signing in, when WorkOS said.</summary>
    public string? Email { get; init; }

    /// <summary>Where the form posts (the pending-sign-in endpoint under the app's base path).</summary>
    public required string FormAction { get; init; }

    /// <summary>The value of the form's <c>flow</c> field: names this flow's cookie.</summary>
    public required string FlowId { get; init; }

    /// <summary>The antiforgery form field name.</summary>
    public required string AntiforgeryFieldName { get; init; }

    /// <summary>The antiforgery token for the form.</summary>
    public required string AntiforgeryToken { get; init; }

    /// <summary>Starts the sign-in again (the sign-in endpoint with the original return path).</summary>
    public required string RestartPath { get; init; }

    /// <summary>
    /// Why the previous answer was refused, safe to show (e.g. a wrong code); null when the page is shown the first time.
    /// </summary>
    public string? Error { get; init; }

    /// <summary>Whether the attempt can still be finished; false when only <see cref="RestartPath"/> helps (e.g. an expired code).</summary>
    public bool MustRestart { get; init; }

    /// <summary>HTTP status of the page: 200, or 400 after a refused answer.</summary>
    public int StatusCode { get; init; } = StatusCodes.Status200OK;

    /// <summary>Set to answer with this result instead of AuthKit's built-in page.</summary>
    public IResult? Result { get; set; }
}
