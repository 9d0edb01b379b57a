namespace AuthKit.Session;

/// <summary>Verifies WorkOS access tokens (signature, algorithm, lifetime and the optional issuer/audience).</summary>
public interface IAccessTokenVerifier
{
    /// <summary>Validates a token. Never throws for bad input: the result says why it failed.</summary>
    ValueTask<AccessTokenValidation> ValidateAsync(string accessToken, CancellationToken cancellationToken = default);
}
