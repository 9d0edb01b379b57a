namespace AuthKit.Session.Tests.Fakes;

/// <summary>Counts session unseals passing through to the real <see cref="SessionEncryption"/>.</summary>
public sealed class CountingEncryption(ISessionEncryption inner) : ISessionEncryption
{
    private int _unsealSessionCalls;

    public int UnsealSessionCalls => Volatile.Read(ref _unsealSessionCalls);

    public string SealSession(Session session, string password) => inner.SealSession(session, password);

    public Session UnsealSession(string sealedSession, string password)
    {
        Interlocked.Increment(ref _unsealSessionCalls);
        return inner.UnsealSession(sealedSession, password);
    }

    public string SealState(PkceState state, string password) => inner.SealState(state, password);

    public PkceState UnsealState(string sealedState, string password) => inner.UnsealState(sealedState, password);
}
