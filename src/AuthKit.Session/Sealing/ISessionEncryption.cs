namespace AuthKit.Session;

/// <summary>Seals and unseals AuthKit's payloads in the npm package's iron format (<c>Fe26.2*...~2</c>).</summary>
public interface ISessionEncryption
{
    /// <summary>Seals a session (no expiry, as the npm package does).</summary>
    string SealSession(Session session, string password);

    /// <summary>Unseals a session cookie. Throws <see cref="AuthKitException"/> (a <c>SessionEncryptionException</c>) on any failure.</summary>
    Session UnsealSession(string sealedSession, string password);

    /// <summary>Seals PKCE state with a 600 s lifetime, stamping <see cref="PkceState.IssuedAt"/> from the clock.</summary>
    string SealState(PkceState state, string password);

    /// <summary>Unseals PKCE state, checking the schema and the <c>issuedAt</c> age. Throws <see cref="AuthKitException"/> on any failure.</summary>
    PkceState UnsealState(string sealedState, string password);
}
