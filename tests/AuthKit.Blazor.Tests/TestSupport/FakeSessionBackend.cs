using System.Collections.Concurrent;
using System.Text.Json;
using AuthKit.Session;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Blazor.Tests.TestSupport;

using Session = AuthKit.Session.Session;

/// <summary>
/// An in-memory stand-in for the session core: "sealed" sessions are opaque handles, access tokens are ids mapped to
/// claims, and refresh tokens are single use exactly like WorkOS (a second use throws a final TokenRefreshException).
/// </summary>
internal sealed class FakeSessionBackend(FakeTimeProvider time) : IAuthKitSessionBackend
{
    private readonly ConcurrentDictionary<string, Session> _sealed = new();
    private readonly ConcurrentDictionary<string, AccessTokenClaims> _tokens = new();
    private readonly ConcurrentDictionary<string, bool> _liveRefreshTokens = new();
    private int _counter;
    private int _refreshCalls;
    private int _rejectedRefreshCalls;

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The verified-cookie cache (the real backend hands out the core's). Default: 10,000 entries, no skew.</summary>
    public VerifiedSessionCache VerifiedSessions { get; set; } = new(capacity: 10_000, clockSkew: TimeSpan.Zero);

    /// <summary>When set, every refresh fails with this (wrapped in a TokenRefreshException).</summary>
    public Exception? RefreshFault { get; set; }

    /// <summary>Called inside a refresh before it completes (to hold concurrent callers in flight).</summary>
    public Func<Task>? OnRefresh { get; set; }

    public TokenCheckStatus? VerifyOverride { get; set; }

    public int RefreshCalls => _refreshCalls;

    public int RejectedRefreshCalls => _rejectedRefreshCalls;

    public Session CreateSession(string userId = "user_1", string sessionId = "session_1", string? organizationId = null, TimeSpan? lifetime = null)
    {
        var refreshToken = "rt_" + Interlocked.Increment(ref _counter);
        _liveRefreshTokens[refreshToken] = true;
        return new Session
        {
            AccessToken = MintAccessToken(userId, sessionId, organizationId, lifetime ?? AccessTokenLifetime),
            RefreshToken = refreshToken,
            User = new WorkOSUser { Id = userId, Email = userId + "@example.com", Name = "User " + userId },
        };
    }

    public string MintAccessToken(string userId, string sessionId, string? organizationId, TimeSpan lifetime)
    {
        var id = "at_" + Interlocked.Increment(ref _counter);
        var payload = new Dictionary<string, object?>
        {
            ["sub"] = userId,
            ["sid"] = sessionId,
            ["exp"] = (time.GetUtcNow() + lifetime).ToUnixTimeSeconds(),
            ["iat"] = time.GetUtcNow().ToUnixTimeSeconds(),
            ["role"] = "member",
            ["permissions"] = new[] { "posts:read" },
        };
        if (organizationId is not null)
        {
            payload["org_id"] = organizationId;
        }

        _tokens[id] = new AccessTokenClaims(JsonSerializer.SerializeToElement(payload));
        return id;
    }

    public bool IsLive(string refreshToken) => _liveRefreshTokens.ContainsKey(refreshToken);

    public int UnsealCalls => _unsealCalls;

    private int _unsealCalls;

    public Session? TryUnseal(string sealedSession)
    {
        Interlocked.Increment(ref _unsealCalls);
        return _sealed.TryGetValue(sealedSession, out var s) ? s : null;
    }

    public string Seal(Session session)
    {
        var handle = "sealed_" + Interlocked.Increment(ref _counter);
        _sealed[handle] = session;
        return handle;
    }

    public AccessTokenClaims? TryReadClaims(string accessToken) => _tokens.TryGetValue(accessToken, out var c) ? c : null;

    public ValueTask<TokenCheck> VerifyAsync(string accessToken, CancellationToken cancellationToken = default)
    {
        if (VerifyOverride is { } status)
        {
            return ValueTask.FromResult(new TokenCheck(status, status == TokenCheckStatus.Valid ? TryReadClaims(accessToken) : null));
        }

        var claims = TryReadClaims(accessToken);
        var valid = claims?.ExpiresAt is { } exp && exp > time.GetUtcNow();
        return ValueTask.FromResult(valid ? TokenCheck.Valid(claims!) : TokenCheck.Invalid);
    }

    public async Task<Session> RefreshAsync(Session session, string? organizationId, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _refreshCalls);
        if (OnRefresh is { } hook)
        {
            await hook();
        }

        var claims = TryReadClaims(session.AccessToken)!;
        if (RefreshFault is { } fault)
        {
            throw new TokenRefreshException("Refresh failed.", session.User.Id, claims.SessionId, fault);
        }

        if (!_liveRefreshTokens.TryRemove(session.RefreshToken, out _))
        {
            Interlocked.Increment(ref _rejectedRefreshCalls);
            throw new TokenRefreshException("Refresh failed.", session.User.Id, claims.SessionId,
                new WorkOSOAuthException("invalid_grant", "Refresh token already used.", System.Net.HttpStatusCode.BadRequest));
        }

        var next = CreateSession(session.User.Id, claims.SessionId!, organizationId ?? claims.OrganizationId);
        return next;
    }
}
