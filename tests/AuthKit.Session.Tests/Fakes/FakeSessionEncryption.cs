using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AuthKit.Session.Tests.Fakes;

/// <summary>
/// A stand-in <see cref="ISessionEncryption"/> (JSON + HMAC, no encryption) for tests that are about the core logic,
/// not the iron format. Enforces the PKCE state age like the real one.
/// </summary>
public sealed class FakeSessionEncryption(TimeProvider timeProvider) : ISessionEncryption
{
    public int UnsealSessionCalls { get; private set; }

    public string SealSession(Session session, string password) => Seal(JsonSerializer.Serialize(session), password);

    public Session UnsealSession(string sealedSession, string password)
    {
        UnsealSessionCalls++;
        return JsonSerializer.Deserialize<Session>(Unseal(sealedSession, password)) ?? throw new AuthKitException("bad session");
    }

    public string SealState(PkceState state, string password)
    {
        state.IssuedAt = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        return Seal(JsonSerializer.Serialize(state), password);
    }

    public PkceState UnsealState(string sealedState, string password)
    {
        var state = JsonSerializer.Deserialize<PkceState>(Unseal(sealedState, password)) ?? throw new AuthKitException("bad state");
        var age = timeProvider.GetUtcNow().ToUnixTimeMilliseconds() - state.IssuedAt;
        if (age < -60_000 || age > 600_000)
        {
            throw new AuthKitException("PKCE state expired");
        }

        return state;
    }

    private static string Seal(string json, string password)
    {
        var body = Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
        return "fake*" + body + "*" + Mac(body, password);
    }

    private static string Unseal(string sealedValue, string password)
    {
        var parts = sealedValue.Split('*');
        if (parts.Length != 3 || parts[0] != "fake" || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(parts[2]), Encoding.ASCII.GetBytes(Mac(parts[1], password))))
        {
            throw new AuthKitException("Failed to unseal");
        }

        return Encoding.UTF8.GetString(Convert.FromBase64String(parts[1]));
    }

    private static string Mac(string body, string password) =>
        Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(password), Encoding.ASCII.GetBytes(body)));
}
