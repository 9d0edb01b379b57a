namespace AuthKit.Testing.Internal;

/// <summary>Lock-free request counters.</summary>
internal sealed class RequestCounters
{
    public const int Authorize = 0;
    public const int AuthorizationCode = 1;
    public const int RefreshToken = 2;
    public const int OrganizationSelection = 3;
    public const int OtherGrant = 4;
    public const int Jwks = 5;
    public const int Logout = 6;
    public const int Revoke = 7;
    public const int OrganizationMemberships = 8;
    public const int Organizations = 9;
    public const int Total = 10;
    public const int FaultsServed = 11;
    public const int RejectedRefreshTokens = 12;
    public const int EmailVerification = 13;
    public const int MfaTotp = 14;
    public const int ApiKeyValidations = 15;

    private readonly int[] _values = new int[16];

    public void Increment(int counter) => Interlocked.Increment(ref _values[counter]);

    public void Reset()
    {
        for (var i = 0; i < _values.Length; i++)
        {
            Interlocked.Exchange(ref _values[i], 0);
        }
    }

    public EmulatorRequestCounts Snapshot(int activeSessions) => new()
    {
        Authorize = Volatile.Read(ref _values[Authorize]),
        AuthorizationCode = Volatile.Read(ref _values[AuthorizationCode]),
        RefreshToken = Volatile.Read(ref _values[RefreshToken]),
        OrganizationSelection = Volatile.Read(ref _values[OrganizationSelection]),
        OtherGrant = Volatile.Read(ref _values[OtherGrant]),
        Jwks = Volatile.Read(ref _values[Jwks]),
        Logout = Volatile.Read(ref _values[Logout]),
        Revoke = Volatile.Read(ref _values[Revoke]),
        OrganizationMemberships = Volatile.Read(ref _values[OrganizationMemberships]),
        Organizations = Volatile.Read(ref _values[Organizations]),
        Total = Volatile.Read(ref _values[Total]),
        FaultsServed = Volatile.Read(ref _values[FaultsServed]),
        RejectedRefreshTokens = Volatile.Read(ref _values[RejectedRefreshTokens]),
        EmailVerification = Volatile.Read(ref _values[EmailVerification]),
        MfaTotp = Volatile.Read(ref _values[MfaTotp]),
        ApiKeyValidations = Volatile.Read(ref _values[ApiKeyValidations]),
        ActiveSessions = activeSessions,
    };
}
