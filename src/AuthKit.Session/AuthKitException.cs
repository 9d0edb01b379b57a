namespace AuthKit.Session;

/// <summary>Base class of every exception AuthKit throws. Messages never contain tokens, codes, verifiers or keys.</summary>
public class AuthKitException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AuthKitException(string message, Exception? innerException = null) : base(message, innerException) { }
}
