namespace AuthKit.Session;

/// <summary>Why sealed PKCE state was rejected.</summary>
public enum PkceStateFailureReason
{
    /// <summary>The seal did not unseal (tampered, wrong password, malformed or expired seal). See the inner exception.</summary>
    Unsealable,
    /// <summary>The payload is not PKCE state (nonce, codeVerifier and issuedAt are required).</summary>
    Malformed,
    /// <summary><c>issuedAt</c> is more than 600 s in the past or more than 60 s in the future.</summary>
    Expired,
}

/// <summary>The OAuth <c>state</c> / PKCE verifier cookie could not be used. Ask the user to sign in again.</summary>
public sealed class PkceStateException : AuthKitException
{
    /// <summary>Creates the exception.</summary>
    public PkceStateException(PkceStateFailureReason reason, string message, Exception? innerException = null)
        : base(message, innerException) => Reason = reason;

    /// <summary>The failure category.</summary>
    public PkceStateFailureReason Reason { get; }
}

/// <summary>
/// The custom state (over 2048 UTF-8 bytes) or the serialized verifier cookie (over 3800 bytes) is too large for a browser
/// to keep. Shorten the custom state, return path or redirect URI.
/// </summary>
public sealed class PkcePayloadTooLargeException : AuthKitException
{
    /// <summary>Creates the exception.</summary>
    public PkcePayloadTooLargeException(string message, int actualBytes, int limitBytes)
        : base(message)
    {
        ActualBytes = actualBytes;
        LimitBytes = limitBytes;
    }

    /// <summary>The measured size in bytes.</summary>
    public int ActualBytes { get; }

    /// <summary>The limit that was exceeded, in bytes.</summary>
    public int LimitBytes { get; }
}
