namespace AuthKit.Session;

/// <summary>The continuation step WorkOS asks for before it issues tokens.</summary>
public enum PendingAuthenticationKind
{
    /// <summary>A step this library does not know (its <see cref="PendingAuthentication.Code"/> says which).</summary>
    Other,

    /// <summary><c>organization_selection_required</c>: the user belongs to several organizations and must choose one.</summary>
    OrganizationSelection,

    /// <summary><c>email_verification_required</c>: a code was emailed to the user.</summary>
    EmailVerification,

    /// <summary><c>mfa_challenge</c>: the user has a second factor to prove.</summary>
    MfaChallenge,

    /// <summary><c>mfa_enrollment</c>: the user must enrol a second factor first.</summary>
    MfaEnrollment,

    /// <summary><c>sso_required</c>: the user must sign in through their organization's SSO.</summary>
    SsoRequired,
}

/// <summary>An enrolled authentication factor named by an <c>mfa_challenge</c> answer.</summary>
public sealed record AuthenticationFactor
{
    /// <summary>Factor id (<c>auth_factor_...</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Factor type: <c>totp</c>, <c>sms</c>, ...</summary>
    public required string Type { get; init; }
}

/// <summary>
/// WorkOS's typed answer when a sign-in needs another step (a 403 with a <c>pending_authentication_token</c>). The token
/// completes the step with the matching grant and must stay on the server (seal it; never show it).
/// </summary>
public sealed class PendingAuthentication
{
    /// <summary>The step, from <see cref="Code"/>.</summary>
    public required PendingAuthenticationKind Kind { get; init; }

    /// <summary>WorkOS's step code as sent (e.g. <c>organization_selection_required</c>).</summary>
    public required string Code { get; init; }

    /// <summary>The pending authentication token for the next grant. Secret.</summary>
    public required string Token { get; init; }

    /// <summary>WorkOS's message, when sent.</summary>
    public string? Message { get; init; }

    /// <summary>The user signing in, when sent.</summary>
    public WorkOSUser? User { get; init; }

    /// <summary>The organizations to choose from (<see cref="PendingAuthenticationKind.OrganizationSelection"/>). Default empty.</summary>
    public IReadOnlyList<Organization> Organizations { get; init; } = [];

    /// <summary>The email verification id (<see cref="PendingAuthenticationKind.EmailVerification"/>).</summary>
    public string? EmailVerificationId { get; init; }

    /// <summary>The address the code was sent to, when sent (else the user's email).</summary>
    public string? Email { get; init; }

    /// <summary>The user's enrolled factors (<see cref="PendingAuthenticationKind.MfaChallenge"/>). Default empty.</summary>
    public IReadOnlyList<AuthenticationFactor> AuthenticationFactors { get; init; } = [];

    /// <summary>A challenge WorkOS already created for a factor, when the answer includes one.</summary>
    public string? AuthenticationChallengeId { get; init; }

    /// <summary>The kind for a WorkOS step code.</summary>
    public static PendingAuthenticationKind KindOf(string code) => code switch
    {
        "organization_selection_required" => PendingAuthenticationKind.OrganizationSelection,
        "email_verification_required" => PendingAuthenticationKind.EmailVerification,
        "mfa_challenge" => PendingAuthenticationKind.MfaChallenge,
        "mfa_enrollment" => PendingAuthenticationKind.MfaEnrollment,
        "sso_required" => PendingAuthenticationKind.SsoRequired,
        _ => PendingAuthenticationKind.Other,
    };
}
