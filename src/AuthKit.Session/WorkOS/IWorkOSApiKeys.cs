namespace AuthKit.Session;

/// <summary>
/// Validates WorkOS API keys (<c>POST /api_keys/validations</c>) that machine clients send to the app's own APIs. The
/// registered implementation caches valid keys for <see cref="AuthKitCoreOptions.ApiKeyCacheDuration"/>; invalid keys and
/// errors are never cached.
/// </summary>
public interface IWorkOSApiKeys
{
    /// <summary>
    /// Validates <paramref name="value"/>. Never throws for a bad key or a WorkOS failure: the result is
    /// <see cref="ApiKeyValidationStatus.Valid"/> (with the key), <see cref="ApiKeyValidationStatus.Invalid"/> (WorkOS does not
    /// know the key, or it is revoked or expired) or <see cref="ApiKeyValidationStatus.Unavailable"/> (WorkOS could not
    /// answer: timeout, network, 5xx, 429, a rejected app API key). Only cancellation of <paramref name="cancellationToken"/> throws.
    /// </summary>
    Task<ApiKeyValidation> ValidateAsync(string value, CancellationToken cancellationToken = default);
}
