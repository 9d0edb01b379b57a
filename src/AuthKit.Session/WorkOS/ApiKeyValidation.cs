using System.Diagnostics.CodeAnalysis;

namespace AuthKit.Session;

/// <summary>What <see cref="IWorkOSApiKeys.ValidateAsync"/> found.</summary>
public enum ApiKeyValidationStatus
{
    /// <summary>WorkOS knows the key and it is active: <see cref="ApiKeyValidation.ApiKey"/> is set.</summary>
    Valid = 1,
    /// <summary>WorkOS does not accept the key (unknown, revoked, expired), or it is empty or too long to be a key.</summary>
    Invalid,
    /// <summary>WorkOS could not answer (timeout, network, 5xx, 429, the app's own API key rejected): say nothing about the key.</summary>
    Unavailable,
}

/// <summary>The outcome of validating a WorkOS API key.</summary>
public sealed class ApiKeyValidation
{
    private static readonly ApiKeyValidation InvalidResult = new(ApiKeyValidationStatus.Invalid, null, null);

    private ApiKeyValidation(ApiKeyValidationStatus status, WorkOSApiKey? apiKey, WorkOSApiException? error)
    {
        Status = status;
        ApiKey = apiKey;
        Error = error;
    }

    /// <summary>What was found.</summary>
    public ApiKeyValidationStatus Status { get; }

    /// <summary>Whether the key is valid; <see cref="ApiKey"/> is set when it is.</summary>
    [MemberNotNullWhen(true, nameof(ApiKey))]
    public bool IsValid => Status == ApiKeyValidationStatus.Valid;

    /// <summary>The key, when valid.</summary>
    public WorkOSApiKey? ApiKey { get; }

    /// <summary>Why WorkOS could not answer, when <see cref="ApiKeyValidationStatus.Unavailable"/> (never contains the key).</summary>
    public WorkOSApiException? Error { get; }

    /// <summary>A valid result.</summary>
    public static ApiKeyValidation Valid(WorkOSApiKey apiKey) => new(ApiKeyValidationStatus.Valid, apiKey ?? throw new ArgumentNullException(nameof(apiKey)), null);

    /// <summary>The invalid result.</summary>
    public static ApiKeyValidation Invalid => InvalidResult;

    /// <summary>An unavailable result.</summary>
    public static ApiKeyValidation Unavailable(WorkOSApiException error) => new(ApiKeyValidationStatus.Unavailable, null, error ?? throw new ArgumentNullException(nameof(error)));
}
