namespace AuthKit.Session;

/// <summary>Verifies WorkOS access tokens (signature, algorithm, lifetime and the optional issuer/audience).</summary>
public interface IAccessTokenVerifier
{
    /// <summary>Validates a token. Never throws for bad input: the result says why it failed.</summary>
    ValueTask<AccessTokenValidation> ValidateAsync(string accessToken, CancellationToken cancellationToken = default);
}

/// <summary>Why an access token was rejected.</summary>
public enum AccessTokenFailure
{
    /// <summary>Not rejected.</summary>
    None = 0,
    /// <summary>Not a well-formed JWT.</summary>
    Malformed,
    /// <summary>The algorithm is not RS256 (including <c>none</c> and HMAC algorithms).</summary>
    UnsupportedAlgorithm,
    /// <summary>No key with the token's <c>kid</c> in the JWKS (after the throttled refetch), or no <c>kid</c>.</summary>
    UnknownKey,
    /// <summary>No signing keys could be loaded (the JWKS endpoint is unreachable and nothing is cached).</summary>
    KeysUnavailable,
    /// <summary>The signature does not verify, or another check of the JWT handler failed.</summary>
    InvalidSignature,
    /// <summary>The token has expired (or has no <c>exp</c>).</summary>
    Expired,
    /// <summary>The token is not valid yet (<c>nbf</c>).</summary>
    NotYetValid,
    /// <summary>The issuer does not match <see cref="AuthKitOptions.TokenIssuer"/>.</summary>
    InvalidIssuer,
    /// <summary>The audience does not match <see cref="AuthKitOptions.TokenAudience"/>.</summary>
    InvalidAudience,
}

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
