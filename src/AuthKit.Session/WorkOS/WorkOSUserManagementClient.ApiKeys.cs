using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace AuthKit.Session;

internal sealed partial class WorkOSUserManagementClient : IWorkOSApiKeys
{
    /// <summary>Longest value sent to WorkOS as an API key; longer values are invalid without a call.</summary>
    internal const int MaxApiKeyLength = 512;

    /// <inheritdoc />
    /// <remarks>Uncached: the registered <see cref="IWorkOSApiKeys"/> wraps this client in the valid-key cache.</remarks>
    public async Task<ApiKeyValidation> ValidateAsync(string value, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxApiKeyLength)
        {
            return ApiKeyValidation.Invalid;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, BuildUri("/api_keys/validations", null))
        {
            Content = JsonContent.Create(new ApiKeyValidationRequestBody { Value = value }, WorkOSJsonContext.Default.ApiKeyValidationRequestBody),
        };
        try
        {
            AddApiKey(request);
            using var response = await SendAsync(request, "validate_api_key", cancellationToken).ConfigureAwait(false);
            using var document = await ReadJsonAsync(response, "validate_api_key", cancellationToken).ConfigureAwait(false);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("api_key", out var key))
            {
                throw new WorkOSApiException("WorkOS returned a malformed response (validate_api_key).", response.StatusCode, GetRequestId(response));
            }

            if (key.ValueKind == JsonValueKind.Null)
            {
                return ApiKeyValidation.Invalid;
            }

            return ReadApiKey(key) is { } apiKey
                ? ApiKeyValidation.Valid(apiKey)
                : throw new WorkOSApiException("WorkOS returned an API key without an id or owner (validate_api_key).", response.StatusCode, GetRequestId(response));
        }
        catch (WorkOSApiException e)
        {
            return ApiKeyValidation.Unavailable(e);
        }
        catch (InvalidOperationException e) when (!cancellationToken.IsCancellationRequested)
        {
            // The app's own API key is not configured: an error of this app, never "the caller's key is invalid".
            return ApiKeyValidation.Unavailable(new WorkOSApiException(e.Message, null, null, e));
        }
    }

    private static WorkOSApiKey? ReadApiKey(JsonElement key)
    {
        if (key.ValueKind != JsonValueKind.Object ||
            WorkOSWire.GetString(key, "id") is not { Length: > 0 } id ||
            !key.TryGetProperty("owner", out var owner) || owner.ValueKind != JsonValueKind.Object ||
            WorkOSWire.GetString(owner, "type") is not { Length: > 0 } ownerType ||
            WorkOSWire.GetString(owner, "id") is not { Length: > 0 } ownerId)
        {
            return null;
        }

        var permissions = new List<string>();
        if (key.TryGetProperty("permissions", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } permission)
                {
                    permissions.Add(permission);
                }
            }
        }

        return new WorkOSApiKey
        {
            Id = id,
            Name = WorkOSWire.GetString(key, "name"),
            Owner = new WorkOSApiKeyOwner { Type = ownerType, Id = ownerId, OrganizationId = WorkOSWire.GetString(owner, "organization_id") },
            Permissions = permissions,
            ObfuscatedValue = WorkOSWire.GetString(key, "obfuscated_value"),
            CreatedAt = ReadTime(key, "created_at"),
            LastUsedAt = ReadTime(key, "last_used_at"),
            ExpiresAt = ReadTime(key, "expires_at"),
        };
    }

    private static DateTimeOffset? ReadTime(JsonElement obj, string name) =>
        WorkOSWire.GetString(obj, name) is { } text &&
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;
}
