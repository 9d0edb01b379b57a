namespace AuthKit.Session;

/// <summary>
/// A rotated session: the sealed successor and the relay key of the successor's own refresh token (to follow chains).
/// </summary>
/// <remarks>
/// Once the successor is rotated in its turn, only the newest record of a chain is ever read for its sealed session, so
/// a store may keep a superseded record as a bare pointer (<see cref="SealedSession"/> empty,
/// <see cref="IsSuperseded"/> true): the in-memory and Redis stores do, which keeps one sealed session per chain instead
/// of one per refresh.
/// </remarks>
/// <param name="SealedSession">The successor session, sealed like the cookie; empty once the record is superseded.</param>
/// <param name="SuccessorKey">The relay key of the successor's refresh token.</param>
public sealed record SessionRotation(string SealedSession, string SuccessorKey)
{
    /// <summary>Whether this record is a bare pointer to the next one (its sealed session was dropped).</summary>
    public bool IsSuperseded => SealedSession.Length == 0;

    /// <summary>This record as a bare pointer to the next one.</summary>
    public SessionRotation AsSuperseded() => IsSuperseded ? this : this with { SealedSession = "" };
}
