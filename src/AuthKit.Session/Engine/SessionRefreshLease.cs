namespace AuthKit.Session;

/// <summary>A refresh lease held by one caller until it is released or <see cref="ExpiresAt"/>.</summary>
/// <param name="Key">The lease key (a hash of the refresh token and the organization).</param>
/// <param name="Token">A random value identifying this holder (so only the holder can renew or release it).</param>
/// <param name="ExpiresAt">When the lease lapses if it is not renewed.</param>
public sealed record SessionRefreshLease(string Key, string Token, DateTimeOffset ExpiresAt);
