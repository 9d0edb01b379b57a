using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthKit.Testing.Internal;

/// <summary>RS256 signing keys: the current one signs; retired ones stay published for the grace period.</summary>
internal sealed class SigningKeyRing : IDisposable
{
    private sealed class Entry
    {
        public required string Kid { get; init; }
        public required RSA Rsa { get; init; }
        public required SigningCredentials Credentials { get; init; }
        public required string N { get; init; }
        public required string E { get; init; }
        public DateTimeOffset? RetiredAt { get; set; }
    }

    private readonly Lock _gate = new();
    private readonly List<Entry> _keys = [];
    private readonly TimeProvider _clock;
    private readonly TimeSpan _grace;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public SigningKeyRing(TimeProvider clock, TimeSpan grace, RSA initialKey)
    {
        _clock = clock;
        _grace = grace;
        _keys.Add(CreateKey(initialKey));
    }

    public string CurrentKid
    {
        get
        {
            lock (_gate)
            {
                return _keys[^1].Kid;
            }
        }
    }

    /// <summary>Adds a new current key; the previous one is retired (published until the grace period ends).</summary>
    public string Rotate()
    {
        var next = CreateKey(RsaKeyPool.TakeAsync().GetAwaiter().GetResult());
        lock (_gate)
        {
            _keys[^1].RetiredAt = _clock.GetUtcNow();
            _keys.Add(next);
            return next.Kid;
        }
    }

    /// <summary>Signs a JSON payload with the current key.</summary>
    public string Sign(string payloadJson)
    {
        SigningCredentials credentials;
        lock (_gate)
        {
            credentials = _keys[^1].Credentials;
        }

        return _handler.CreateToken(payloadJson, credentials);
    }

    /// <summary>The JWKS document: the current key plus retired keys still inside the grace period.</summary>
    public byte[] GetJwksJson()
    {
        var now = _clock.GetUtcNow();
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            lock (_gate)
            {
                _keys.RemoveAll(k => k.RetiredAt is { } retired && now >= retired + _grace && !ReferenceEquals(k, _keys[^1]));
                for (var i = _keys.Count - 1; i >= 0; i--)
                {
                    var key = _keys[i];
                    writer.WriteStartObject();
                    writer.WriteString("alg", "RS256");
                    writer.WriteString("kty", "RSA");
                    writer.WriteString("use", "sig");
                    writer.WriteString("kid", key.Kid);
                    writer.WriteString("n", key.N);
                    writer.WriteString("e", key.E);
                    writer.WriteEndObject();
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static Entry CreateKey(RSA rsa)
    {
        var kid = "key_" + Ids.New("").ToLowerInvariant();
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        var securityKey = new RsaSecurityKey(rsa) { KeyId = kid };
        return new Entry
        {
            Kid = kid,
            Rsa = rsa,
            Credentials = new SigningCredentials(securityKey, SecurityAlgorithms.RsaSha256),
            N = Base64UrlEncoder.Encode(parameters.Modulus),
            E = Base64UrlEncoder.Encode(parameters.Exponent),
        };
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var key in _keys)
            {
                key.Rsa.Dispose();
            }
        }
    }
}

/// <summary>
/// RSA-2048 generation takes 50 ms to over a second on a busy machine, so one spare key is generated in the background
/// for the next emulator start or rotation. Every key is handed out once; emulators never share keys.
/// </summary>
internal static class RsaKeyPool
{
    private static readonly Lock Gate = new();
    private static Task<RSA>? _spare;

    public static Task<RSA> TakeAsync()
    {
        Task<RSA>? spare;
        lock (Gate)
        {
            spare = _spare;
            _spare = Task.Run(() => RSA.Create(2048));
        }

        return spare ?? Task.Run(() => RSA.Create(2048));
    }
}
