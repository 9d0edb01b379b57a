namespace AuthKit.Session;

/// <summary>Why sealing or unsealing failed.</summary>
public enum SessionEncryptionFailureReason
{
    /// <summary>The seal is not in the <c>Fe26.2</c> format (component count, prefix, expiration field or base64 characters).</summary>
    Malformed,
    /// <summary>The seal carries an expiration that has passed (60 s clock-skew allowance included).</summary>
    Expired,
    /// <summary>No password: empty, or the seal names a password id other than <c>1</c>.</summary>
    PasswordMissing,
    /// <summary>The password is shorter than 32 characters.</summary>
    PasswordTooShort,
    /// <summary>The integrity check failed: tampered seal or wrong password.</summary>
    HmacMismatch,
    /// <summary>The HMAC verified but AES-CBC decryption failed.</summary>
    DecryptionFailed,
    /// <summary>The data to seal, or the decrypted payload, is not JSON.</summary>
    InvalidJson,
    /// <summary>The payload is JSON but not the expected shape (for example a session without an access token).</summary>
    InvalidPayload,
}

/// <summary>
/// Sealing or unsealing failed. <see cref="Reason"/> tells the category; the message never contains the seal, the password or
/// decrypted content.
/// </summary>
public sealed class SessionEncryptionException : AuthKitException
{
    /// <summary>Creates the exception.</summary>
    public SessionEncryptionException(SessionEncryptionFailureReason reason, string message, Exception? innerException = null)
        : base(message, innerException) => Reason = reason;

    /// <summary>The failure category.</summary>
    public SessionEncryptionFailureReason Reason { get; }
}
