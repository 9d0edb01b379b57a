namespace AuthKit.Session;

/// <summary>The outcome of <see cref="IAccessTokenVerifier.ValidateAsync"/>.</summary>
public sealed class AccessTokenValidation
{
    private AccessTokenValidation(AccessTokenClaims? claims, AccessTokenFailure failure)
    {
        Claims = claims;
        Failure = failure;
    }

    /// <summary>Whether the token is valid; <see cref="Claims"/> is set when it is.</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Claims))]
    public bool IsValid => Failure == AccessTokenFailure.None;

    /// <summary>The verified claims, when valid.</summary>
    public AccessTokenClaims? Claims { get; }

    /// <summary>Why the token was rejected, <see cref="AccessTokenFailure.None"/> when valid.</summary>
    public AccessTokenFailure Failure { get; }

    /// <summary>A valid result.</summary>
    public static AccessTokenValidation Valid(AccessTokenClaims claims) => new(claims ?? throw new ArgumentNullException(nameof(claims)), AccessTokenFailure.None);

    /// <summary>A failed result.</summary>
    public static AccessTokenValidation Failed(AccessTokenFailure failure) =>
        failure == AccessTokenFailure.None ? throw new ArgumentOutOfRangeException(nameof(failure)) : new(null, failure);
}
