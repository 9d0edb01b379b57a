namespace AuthKit.Session;

/// <summary>A rotated session: the sealed successor and the relay key of the successor's own refresh token (to follow chains).</summary>
/// <param name="SealedSession">The successor session, sealed like the cookie.</param>
/// <param name="SuccessorKey">The relay key of the successor's refresh token.</param>
public sealed record SessionRotation(string SealedSession, string SuccessorKey);
