using AuthKit.Session.Tests.Fakes;

namespace AuthKit.Session.Tests.Core;

public sealed class AuthKitCoreTests : IDisposable
{
    private readonly CoreHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void Callback_state_must_be_present_and_match_the_cookie_byte_for_byte()
    {
        var state = _h.Encryption.SealState(new PkceState { Nonce = "n", CodeVerifier = "v" }, TestOptions.CookiePassword);

        Assert.Throws<OAuthStateMismatchException>(() => _h.Core.VerifyCallbackState(null, state));
        Assert.Throws<OAuthStateMismatchException>(() => _h.Core.VerifyCallbackState("", state));
        Assert.Throws<PkceCookieMissingException>(() => _h.Core.VerifyCallbackState(state, null));
        Assert.Throws<OAuthStateMismatchException>(() => _h.Core.VerifyCallbackState(state + "x", state));
        Assert.Throws<OAuthStateMismatchException>(() => _h.Core.VerifyCallbackState(state, state[..^1] + (state[^1] == 'A' ? 'B' : 'A')));
        Assert.Equal("v", _h.Core.VerifyCallbackState(state, state).CodeVerifier);
    }

    [Fact]
    public void A_session_round_trips_through_the_cookie_seal()
    {
        var session = _h.NewSession();

        var sealedSession = _h.Core.EncryptSession(session);
        var back = _h.Core.DecryptSession(sealedSession);

        Assert.Equal(session.RefreshToken, back.RefreshToken);
        Assert.ThrowsAny<AuthKitException>(() => _h.Core.DecryptSession(Tamper.Middle(sealedSession)));
    }
}
