namespace AuthKit.Session;

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
