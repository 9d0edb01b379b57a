namespace AuthKit.Session;

/// <summary>Unsealing untrusted cookie values as the engine does: a bad value is null, never an exception.</summary>
internal static class SessionEncryptionExtensions
{
    /// <summary>The session sealed in <paramref name="sealedSession"/>; null when it is tampered, truncated, expired, sealed with another password or not a session.</summary>
    public static Session? TryUnsealSession(this ISessionEncryption encryption, string sealedSession, string password)
    {
        try
        {
            return encryption.UnsealSession(sealedSession, password);
        }
        catch (Exception ex) when (ex is AuthKitException or FormatException or ArgumentException or System.Text.Json.JsonException or System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
