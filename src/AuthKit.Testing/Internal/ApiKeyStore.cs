using System.Text.Json.Nodes;

namespace AuthKit.Testing.Internal;

/// <summary>The emulator's API keys (seeded, created, revoked), looked up by value for <c>POST /api_keys/validations</c>.</summary>
internal sealed class ApiKeyStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ApiKeyRecord> _byValue = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ApiKeyRecord> _byId = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;

    public ApiKeyStore(IEnumerable<EmulatorApiKey> seed, TimeProvider clock)
    {
        _clock = clock;
        foreach (var key in seed)
        {
            Add(key);
        }
    }

    /// <summary>Adds a key; returns the stored record (id and value generated when missing).</summary>
    public ApiKeyRecord Add(EmulatorApiKey key)
    {
        var now = _clock.GetUtcNow();
        var record = new ApiKeyRecord
        {
            Id = string.IsNullOrEmpty(key.Id) ? Ids.New("api_key_") : key.Id,
            Name = key.Name,
            Value = string.IsNullOrEmpty(key.Value) ? "sk_test_" + Ids.Secret() : key.Value,
            OrganizationId = key.OrganizationId,
            UserId = key.UserId,
            Permissions = [.. key.Permissions],
            ExpiresAt = key.ExpiresAt,
            CreatedAt = now,
        };
        lock (_gate)
        {
            if (_byId.ContainsKey(record.Id))
            {
                throw new ArgumentException($"API key id '{record.Id}' is used twice.", nameof(key));
            }

            if (!_byValue.TryAdd(record.Value, record))
            {
                throw new ArgumentException("That API key value is already in use.", nameof(key));
            }

            _byId[record.Id] = record;
        }

        return record;
    }

    /// <summary>Revokes (deletes) a key by id; false when unknown.</summary>
    public bool Revoke(string id)
    {
        lock (_gate)
        {
            if (!_byId.Remove(id, out var record))
            {
                return false;
            }

            _byValue.Remove(record.Value);
            return true;
        }
    }

    /// <summary>The key object for a presented value, or null (unknown, revoked or expired). Marks it used.</summary>
    public JsonObject? Validate(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            if (!_byValue.TryGetValue(value, out var record) || (record.ExpiresAt is { } expires && now >= expires))
            {
                return null;
            }

            record.LastUsedAt = now;
            return ToJson(record);
        }
    }

    private static JsonObject ToJson(ApiKeyRecord r)
    {
        var owner = r.UserId is null
            ? new JsonObject { ["type"] = "organization", ["id"] = r.OrganizationId }
            : new JsonObject { ["type"] = "user", ["id"] = r.UserId, ["organization_id"] = r.OrganizationId };
        var permissions = new JsonArray();
        foreach (var p in r.Permissions)
        {
            permissions.Add(p);
        }

        var value = r.Value;
        return new JsonObject
        {
            ["object"] = "api_key",
            ["id"] = r.Id,
            ["name"] = r.Name,
            ["owner"] = owner,
            ["obfuscated_value"] = value.Length > 8 ? value[..3] + "..." + value[^4..] : "sk_...",
            ["permissions"] = permissions,
            ["last_used_at"] = r.LastUsedAt is { } used ? WireJson.Timestamp(used) : null,
            ["expires_at"] = r.ExpiresAt is { } expiresAt ? WireJson.Timestamp(expiresAt) : null,
            ["created_at"] = WireJson.Timestamp(r.CreatedAt),
            ["updated_at"] = WireJson.Timestamp(r.CreatedAt),
        };
    }
}

internal sealed class ApiKeyRecord
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Value { get; init; }
    public required string OrganizationId { get; init; }
    public string? UserId { get; init; }
    public required List<string> Permissions { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; set; }
}
