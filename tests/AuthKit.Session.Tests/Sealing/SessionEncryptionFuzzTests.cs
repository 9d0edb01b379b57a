using System.Text;
using AuthKit.Fuzz;
using AuthKit.Session.Tests.Fakes;
using AuthKit.Session.Tests.TestSupport;
using CsCheck;
using Xunit.Abstractions;

namespace AuthKit.Session.Tests.Sealing;

[Collection(FuzzCollection.Name)]
public sealed class SessionEncryptionFuzzTests(ITestOutputHelper output)
{
    private const string Password = IronSealFuzzTests.Password;

    private static readonly long NowMs = IronSealFuzzTests.Time.GetUtcNow().ToUnixTimeMilliseconds();

    private static readonly SessionEncryption Encryption = new(IronSealFuzzTests.Time);

    private static readonly Gen<Session> Sessions = Gen.Select(
        SealGen.UnicodeText.Where(s => s.Length > 0), SealGen.UnicodeText, SealGen.UnicodeText, SealGen.UnicodeText, Gen.Bool,
        (access, refresh, name, reason, impersonated) => new Session
        {
            AccessToken = access,
            RefreshToken = refresh,
            User = new WorkOSUser { Id = "user_" + name, Email = name + "@example.com", FirstName = name, LastName = reason },
            Impersonator = impersonated ? new Impersonator { Email = "support@example.com", Reason = reason } : null,
        });

    private static readonly Gen<PkceState> States = Gen.Select(
        SealGen.UnicodeText.Where(s => s.Length > 0), SealGen.UnicodeText.Where(s => s.Length > 0), SealGen.UnicodeText, SealGen.UnicodeText, Gen.Bool,
        (nonce, verifier, path, custom, hasCustom) => new PkceState
        {
            Nonce = nonce,
            CodeVerifier = verifier,
            ReturnPathname = "/" + path,
            CustomState = hasCustom ? custom : null,
            RedirectUri = hasCustom ? "https://app.example/callback" : null,
            IssuedAt = 0,
        });

    private static readonly Session[] SampleSessions =
    [
        Sealing.SessionEncryptionTests.RealisticSession(),
        Session("at", "rt", "alice", null),
        Session("eyJ.a.b", "", "zoë 日本 😀", "support \u2028 reason"),
        Session(new string('t', 3000), "r", "bob", "why"),
    ];

    private static readonly string[] ValidSessionSeals = SampleSessions.Select(s => Encryption.SealSession(s, Password)).ToArray();

    private static readonly string[] ValidStateSeals =
    [
        Encryption.SealState(new PkceState { Nonce = "n1", CodeVerifier = new string('v', 43), ReturnPathname = "/", IssuedAt = 0 }, Password),
        Encryption.SealState(new PkceState { Nonce = "n2", CodeVerifier = "cv", ReturnPathname = "/café?x=1#y", CustomState = "{\"a\":[1,2]}", IssuedAt = 0 }, Password),
        Encryption.SealState(new PkceState { Nonce = "n3", CodeVerifier = "cv", RedirectUri = "https://app.example/callback", CustomState = new string('c', 2000), IssuedAt = 0 }, Password),
    ];

    private static Session Session(string access, string refresh, string name, string? reason) => new()
    {
        AccessToken = access,
        RefreshToken = refresh,
        User = new WorkOSUser { Id = "user_" + name, Email = name + "@example.com", FirstName = name },
        Impersonator = reason is null ? null : new Impersonator { Email = "support@example.com", Reason = reason },
    };

    /// <summary>Valid seals of JSON that is not a session or state: other shapes, wrong types, deep nesting, huge values.</summary>
    private static readonly Gen<string> OtherPayloads = Gen.Frequency(
        (3, Gen.OneOf(
            "null", "1", "\"x\"", "[]", "{}", "true", """{"accessToken":1}""", """{"accessToken":"a","refreshToken":"b","user":null}""",
            """{"accessToken":"a","refreshToken":"b","user":{"id":5,"email":"e"}}""", """{"accessToken":"a","refreshToken":"b","user":{"id":"u","email":"e","metadata":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}}""",
            """{"accessToken":"a","refreshToken":"b","user":{"id":"u","email":"e","emailVerified":"yes"}}""",
            """{"accessToken":"\ud800","refreshToken":"b","user":{"id":"u","email":"e"}}""",
            """{"nonce":"n","codeVerifier":"v","issuedAt":1e400}""", """{"nonce":"n","codeVerifier":"v","issuedAt":-1}""",
            """{"nonce":"n","codeVerifier":"v","issuedAt":"1"}""", """{"nonce":"n","codeVerifier":"v","issuedAt":1.5}""",
            """{"nonce":"n","codeVerifier":"v","issuedAt":9223372036854775808}""", """{"nonce":null,"codeVerifier":"v","issuedAt":1}""", """{"nonce":"n","codeVerifier":"v","issuedAt":-9223372036854775808}""",
            """{"persistent":{"nonce":"n","codeVerifier":"v","issuedAt":1}}""", "\uFEFF{}", "{\"a\":1,\"a\":2}", "{\"__proto__\":{}}")),
        (2, SealGen.DeepJson(10_000)),
        (1, SealGen.HugeJson(100_000)),
        (2, SealGen.AnyText));

    private static Gen<string> ValidSessions => Gen.OneOf(ValidSessionSeals);

    private static Gen<string> ValidStates => Gen.OneOf(ValidStateSeals);

    [Fact]
    public void UnsealSession_throws_only_AuthKitException_accepts_no_forgery_and_stays_under_100_ms_per_call()
    {
        var target = new FuzzTarget("SessionEncryption.UnsealSession", output, timed: true);
        int n = FuzzSettings.Iterations(1_000);

        RunMutationClasses(target, ValidSessions, (seal, c) => Unseal(seal, c).Succeeded, AcceptsOnlyTheOriginalSession, n);
        target.Run("other-payloads-deep-huge-json", OtherPayloads.Select(json => (Json: json, Seal: IronSealFuzzTests.SealRaw(json))), (input, c) =>
        {
            var result = Unseal(input.Seal, c, input.Json);
            if (result.Succeeded)
            {
                Assert.NotNull(result.Value!.AccessToken);
                Assert.NotNull(result.Value.User);
            }
        }, FuzzSettings.Iterations(300, 0.2));
        target.Run("valid-round-trip", Sessions, (session, c) =>
        {
            var seal = Encryption.SealSession(session, Password);
            var back = Unseal(seal, c, session.AccessToken).Value;
            Assert.NotNull(back);
            Assert.Equal(session.AccessToken, back.AccessToken);
            Assert.Equal(session.RefreshToken, back.RefreshToken);
            Assert.Equal(session.User.Id, back.User.Id);
            Assert.Equal(session.User.LastName, back.User.LastName);
            Assert.Equal(session.Impersonator?.Reason, back.Impersonator?.Reason);
        }, n);

        target.AssertNoSlowCalls();
    }

    [Fact]
    public void UnsealState_and_VerifyCallbackState_throw_only_AuthKitException_accept_no_forgery_and_stay_under_100_ms_per_call()
    {
        var target = new FuzzTarget("SessionEncryption.UnsealState", output, timed: true);
        int n = FuzzSettings.Iterations(1_000);

        RunMutationClasses(target, ValidStates, (seal, c) => UnsealState(seal, c).Succeeded, AcceptsOnlyTheOriginalState, n);
        target.Run("other-payloads-deep-huge-json", OtherPayloads.Select(json => (Json: json, Seal: IronSealFuzzTests.SealRaw(json))), (input, c) =>
        {
            var result = UnsealState(input.Seal, c, input.Json);
            if (result.Succeeded)
            {
                Assert.NotNull(result.Value!.Nonce);
                Assert.NotNull(result.Value.CodeVerifier);
            }
        }, FuzzSettings.Iterations(300, 0.2));

        // The clock moved between sealing and unsealing: accepted exactly when -60 s <= age <= 600 s.
        var offsets = Gen.Frequency(
            (2, Gen.Long[-7_200_000, 7_200_000]),
            (3, Gen.OneOf(-60_000L, 600_000L, 660_000L).SelectMany(edge => Gen.Long[-2, 2].Select(d => edge + d))),
            (1, Gen.OneOf(-NowMs, 200_000_000_000_000L)));
        target.Run("clock-offset", Gen.Select(ValidStates, offsets), (input, c) =>
        {
            var (seal, offsetMs) = input;
            var at = new SessionEncryption(Clock.At(NowMs + offsetMs));
            var result = c.Call(() => at.UnsealState(seal, Password), input);
            var accepted = offsetMs is >= -60_000 and <= 600_000;
            Assert.True(result.Succeeded == accepted, $"offset {offsetMs} ms: {(result.Succeeded ? "accepted" : result.Error!.Message)}");
            if (!accepted)
            {
                Assert.IsType<PkceStateException>(result.Error);
            }
        }, n);

        target.Run("valid-round-trip", States, (state, c) =>
        {
            var seal = Encryption.SealState(state, Password);
            var back = UnsealState(seal, c, state.Nonce).Value;
            Assert.NotNull(back);
            Assert.Equal((state.Nonce, state.CodeVerifier, state.ReturnPathname, state.CustomState, state.RedirectUri, NowMs),
                (back.Nonce, back.CodeVerifier, back.ReturnPathname, back.CustomState, back.RedirectUri, back.IssuedAt));
        }, n);

        // Through the core: the state from the URL and the cookie, the same (mutated) value or two different ones.
        using var harness = new CoreHarness(configure: o => o.CookiePassword = Password);
        Assert.Equal(IronSealFuzzTests.Time.GetUtcNow(), harness.Time.GetUtcNow());
        var mutated = Gen.Frequency((1, ValidStates), (3, SealGen.BitFlip(ValidStates)), (1, SealGen.Truncation(ValidStates)), (1, SealGen.NonAscii(ValidStates)), (1, SealGen.RandomStrings));
        target.Run("VerifyCallbackState", Gen.Select(mutated, mutated, Gen.Int[0, 3], (a, b, kind) => kind switch
        {
            0 => new CallbackInput(a, b),
            1 => new CallbackInput(null, a),
            2 => new CallbackInput(a, null),
            _ => new CallbackInput(a, a),
        }), (input, c) =>
        {
            var result = c.Call(() => harness.Core.VerifyCallbackState(input.Url, input.Cookie), input);
            if (input.Url != input.Cookie && IsWellFormed(input.Url) && IsWellFormed(input.Cookie))
            {
                Assert.False(result.Succeeded, "a state that differs from the cookie was accepted");
            }

            if (result.Succeeded)
            {
                AssertIsAnOriginalState(result.Value!);
            }
        }, n);

        target.AssertNoSlowCalls();
    }

    private static bool IsWellFormed(string? text)
    {
        if (text is null) return true;
        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetByteCount(text);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }

    private static Outcome<Session> Unseal(string seal, FuzzClass c, object? input = null) =>
        c.Call(() => Encryption.UnsealSession(seal, Password), input ?? seal);

    private static Outcome<PkceState> UnsealState(string seal, FuzzClass c, object? input = null) =>
        c.Call(() => Encryption.UnsealState(seal, Password), input ?? seal);

    /// <summary>The input classes both unseal targets share: random strings, and mutations of valid seals that only the original may survive.</summary>
    private static void RunMutationClasses(FuzzTarget target, Gen<string> valid, Func<string, FuzzClass, bool> unseals, Action<string, FuzzClass> acceptsOnlyTheOriginal, int n)
    {
        target.Run("random-strings", SealGen.RandomStrings, (seal, c) => Assert.False(unseals(seal, c), "a random string unsealed"), n);
        target.Run("bit-flip", SealGen.BitFlip(valid), acceptsOnlyTheOriginal, n);
        target.Run("truncation", SealGen.Truncation(valid), acceptsOnlyTheOriginal, n);
        target.Run("padding-separators-whitespace", SealGen.Padding(valid), acceptsOnlyTheOriginal, n);
        target.Run("suffix", SealGen.Suffix(valid).Select(x => x.Seal), acceptsOnlyTheOriginal, n);
        target.Run("huge-expiration", SealGen.HugeExpiration(valid, 20_000), acceptsOnlyTheOriginal, n);
        target.Run("lone-surrogates-non-ascii", SealGen.NonAscii(valid), acceptsOnlyTheOriginal, n);
    }

    private static void AcceptsOnlyTheOriginalSession(string seal, FuzzClass c)
    {
        var result = Unseal(seal, c);
        if (result.Succeeded)
        {
            var session = result.Value!;
            var originals = ValidSessionSeals.Select(s => Encryption.UnsealSession(s, Password));
            Assert.Contains(originals, o => o.AccessToken == session.AccessToken && o.RefreshToken == session.RefreshToken && o.User.Id == session.User.Id);
        }
    }

    private static void AcceptsOnlyTheOriginalState(string seal, FuzzClass c)
    {
        var result = UnsealState(seal, c);
        if (result.Succeeded)
        {
            AssertIsAnOriginalState(result.Value!);
        }
    }

    private static void AssertIsAnOriginalState(PkceState state)
    {
        var originals = ValidStateSeals.Select(s => Encryption.UnsealState(s, Password));
        Assert.Contains(originals, o => o.Nonce == state.Nonce && o.CodeVerifier == state.CodeVerifier && o.IssuedAt == state.IssuedAt);
    }

    private sealed record CallbackInput(string? Url, string? Cookie);
}
