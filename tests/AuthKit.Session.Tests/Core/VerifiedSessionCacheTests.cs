using AuthKit.Session.Tests.Fakes;

namespace AuthKit.Session.Tests.Core;

public sealed class VerifiedSessionCacheTests : IDisposable
{
    private readonly CoreHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task A_cookie_seen_before_is_served_without_unsealing_or_verifying_again()
    {
        var cookie = _h.Core.EncryptSession(_h.NewSession("org_acme"));

        var first = await _h.Engine.ValidateCookieAsync(cookie);
        var second = await _h.Engine.ValidateCookieAsync(cookie);

        Assert.Equal(1, _h.Verifier.Calls);
        Assert.Equal(1, _h.Encryption.UnsealSessionCalls);
        Assert.Same(first.Auth, second.Auth);
        Assert.True(second.Auth.IsAuthenticated);
        Assert.False(second.Refreshed());
        Assert.Null(second.SealedSession);
    }

    [Fact]
    public async Task Expiry_is_still_checked_on_every_request()
    {
        var cookie = _h.Core.EncryptSession(_h.NewSession(lifetime: TimeSpan.FromMinutes(1)));
        await _h.Engine.ValidateCookieAsync(cookie);

        _h.Time.Advance(TimeSpan.FromMinutes(1));
        var result = await _h.Engine.ValidateCookieAsync(cookie);

        Assert.True(result.Refreshed());
        Assert.NotNull(result.SealedSession);
        Assert.Equal(1, _h.WorkOS.RefreshRequests);
        Assert.Equal(2, _h.Verifier.Calls);
    }

    [Fact]
    public async Task A_refreshed_cookie_is_not_cached_under_the_old_value()
    {
        var cookie = _h.Core.EncryptSession(_h.NewSession(lifetime: TimeSpan.FromMinutes(1)));
        _h.Time.Advance(TimeSpan.FromMinutes(2));

        var refreshed = await _h.Engine.ValidateCookieAsync(cookie);
        var next = await _h.Engine.ValidateCookieAsync(refreshed.SealedSession!);
        var again = await _h.Engine.ValidateCookieAsync(refreshed.SealedSession!);

        Assert.False(next.Refreshed());
        Assert.Same(next.Auth, again.Auth);
        Assert.Equal(1, _h.Core.Cache.Count);
    }

    [Fact]
    public async Task Invalidating_a_session_evicts_its_cookies()
    {
        var session = _h.NewSession();
        var cookie = _h.Core.EncryptSession(session);
        var first = await _h.Engine.ValidateCookieAsync(cookie);

        _h.Core.InvalidateSession(first.Auth.SessionId!);
        await _h.Engine.ValidateCookieAsync(cookie);

        Assert.Equal(2, _h.Verifier.Calls);
    }

    [Fact]
    public async Task A_refresh_of_a_session_evicts_its_cached_cookies()
    {
        var session = _h.NewSession("org_acme");
        var cookie = _h.Core.EncryptSession(session);
        await _h.Engine.ValidateCookieAsync(cookie);

        await _h.Engine.RefreshAsync(session, "org_globex");

        Assert.Equal(0, _h.Core.Cache.Count);
    }

    [Fact]
    public async Task A_tampered_cookie_is_an_error_and_is_never_cached()
    {
        var cookie = _h.Core.EncryptSession(_h.NewSession());

        Assert.Equal(SessionResolutionStatus.Invalid, (await _h.Engine.ValidateCookieAsync(Tamper.Middle(cookie))).Status);

        Assert.Equal(0, _h.Core.Cache.Count);
    }

    [Fact]
    public void The_cache_is_bounded_and_drops_expired_entries_first()
    {
        var cache = new VerifiedSessionCache(capacity: 10, TimeSpan.Zero);
        var now = _h.Time.GetUtcNow();
        var shortLived = Auth(TimeSpan.FromSeconds(30));
        var longLived = Auth(TimeSpan.FromHours(1));

        for (var i = 0; i < 5; i++)
        {
            cache.Set($"short-{i}", shortLived);
        }

        for (var i = 0; i < 100; i++)
        {
            cache.Set($"long-{i}", longLived);
            Assert.True(cache.Count <= 10);
        }

        Assert.True(cache.TryGet("long-99", now, out _));
        _h.Time.Advance(TimeSpan.FromMinutes(1));
        cache.Trim(_h.Time.GetUtcNow());
        Assert.False(cache.TryGet("short-0", _h.Time.GetUtcNow(), out _));
    }

    [Fact]
    public void An_entry_is_served_only_before_its_token_expires()
    {
        var cache = new VerifiedSessionCache(capacity: 10, TimeSpan.Zero);
        var auth = Auth(TimeSpan.FromSeconds(30));
        cache.Set("cookie", auth);

        Assert.True(cache.TryGet("cookie", _h.Time.GetUtcNow().AddSeconds(29), out var hit));
        Assert.Same(auth, hit.Auth);
        Assert.False(cache.TryGet("cookie", _h.Time.GetUtcNow().AddSeconds(30), out _));
        Assert.Equal(0, cache.Count);
        Assert.False(cache.TryGet("cookie2", _h.Time.GetUtcNow(), out _));
    }

    [Fact]
    public void A_zero_capacity_disables_the_cache()
    {
        var cache = new VerifiedSessionCache(capacity: 0, TimeSpan.Zero);

        cache.Set("cookie", Auth(TimeSpan.FromMinutes(5)));

        Assert.False(cache.Enabled);
        Assert.False(cache.TryGet("cookie", _h.Time.GetUtcNow(), out _));
    }

    [Fact]
    public void Cookie_keys_separate_ascii_text_from_utf16_lookalikes_and_handle_any_length()
    {
        // U+4141 is the bytes 41 41 in UTF-16LE, i.e. "AA" in ASCII: the encodings are tagged apart.
        Assert.NotEqual(VerifiedSessionCache.CookieHash.Of("AA"), VerifiedSessionCache.CookieHash.Of("\u4141"));
        Assert.Equal(VerifiedSessionCache.CookieHash.Of("é" + new string('x', 9000)), VerifiedSessionCache.CookieHash.Of("é" + new string('x', 9000)));
        Assert.Equal(VerifiedSessionCache.CookieHash.Of(new string('y', 9000)), VerifiedSessionCache.CookieHash.Of(new string('y', 9000)));
        Assert.NotEqual(VerifiedSessionCache.CookieHash.Of(new string('y', 9000)), VerifiedSessionCache.CookieHash.Of(new string('y', 9001)));
        Assert.NotEqual(VerifiedSessionCache.CookieHash.Of(""), VerifiedSessionCache.CookieHash.Of("\0"));
    }

    private AuthResult Auth(TimeSpan lifetime)
    {
        var session = _h.NewSession(lifetime: lifetime);
        return AuthResult.FromSession(session, AccessTokens.ParseUnverified(session.AccessToken));
    }
}
