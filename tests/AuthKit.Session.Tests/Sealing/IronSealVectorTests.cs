using AuthKit.Session.Json;
using AuthKit.Session.Tests.TestSupport;

namespace AuthKit.Session.Tests.Sealing;

/// <summary>Every vector recorded from the real npm package (tests/interop/vectors.json).</summary>
public sealed class IronSealVectorTests
{
    public static TheoryData<string> CaseNames => InteropVectors.Names("cases");
    public static TheoryData<string> PlaintextCaseNames => InteropVectors.Names("cases", c => c.Get("expectedPlaintext") is not null);
    public static TheoryData<string> StringifiedCaseNames =>
        InteropVectors.Names("cases", c => c.Get("expectedPlaintext") is not null && c.Str("category") != "crafted");
    public static TheoryData<string> SealErrorNames => InteropVectors.Names("sealErrors");
    public static TheoryData<string> DeterministicNames => InteropVectors.Names("deterministicSeal");

    // Engine-independent messages and the category each belongs to.
    private static readonly Dictionary<string, SessionEncryptionFailureReason> Categories = new()
    {
        ["Incorrect number of sealed components"] = SessionEncryptionFailureReason.Malformed,
        ["Wrong mac prefix"] = SessionEncryptionFailureReason.Malformed,
        ["Invalid expiration"] = SessionEncryptionFailureReason.Malformed,
        ["Expired seal"] = SessionEncryptionFailureReason.Expired,
        ["Empty password"] = SessionEncryptionFailureReason.PasswordMissing,
        ["Password string too short (min 32 characters required)"] = SessionEncryptionFailureReason.PasswordTooShort,
        ["Bad hmac value"] = SessionEncryptionFailureReason.HmacMismatch,
        ["Data is not JSON serializable"] = SessionEncryptionFailureReason.InvalidJson,
    };

    // Messages written by V8 / WebCrypto / atob: compared by category only.
    private static SessionEncryptionFailureReason EngineCategory(string message) => message switch
    {
        "Invalid character" => SessionEncryptionFailureReason.Malformed,
        "The operation failed for an operation-specific reason" => SessionEncryptionFailureReason.DecryptionFailed,
        _ when message.StartsWith("algorithm.iv", StringComparison.Ordinal) => SessionEncryptionFailureReason.DecryptionFailed,
        _ when message.StartsWith("Cannot read properties of null", StringComparison.Ordinal) => SessionEncryptionFailureReason.InvalidPayload,
        _ when message.StartsWith("Failed parsing sealed object JSON: ", StringComparison.Ordinal) => SessionEncryptionFailureReason.InvalidJson,
        _ => throw new InvalidOperationException("unmapped engine message: " + message),
    };

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Unseal_gives_what_the_npm_package_gave(string name)
    {
        JsNode vector = InteropVectors.Named("cases", name);
        string seal = vector.Str("sealed")!;
        string password = vector.Str("password")!;

        var checks = new List<(long Now, JsNode? Json, string? Error)>();
        if (vector.Get("timeLimited")?.Get("clockChecks")?.Items is { } clockChecks)
        {
            foreach (JsNode check in clockChecks) checks.Add((check.Ms("nowUnixMs"), check.Get("expectedJson"), check.Str("expectedError")));
        }
        else
        {
            checks.Add((vector.Ms("recordedAtUnixMs"), vector.Get("expectedJson"), vector.Str("expectedError")));
        }
        Assert.NotEmpty(checks);

        foreach ((long now, JsNode? expectedJson, string? expectedError) in checks)
        {
            if (expectedError is null)
            {
                string actual = IronSeal.Unseal(seal, password, Clock.At(now));
                Assert.Equal(expectedJson!.Json(), actual);
            }
            else
            {
                var ex = Assert.Throws<SessionEncryptionException>(() => IronSeal.Unseal(seal, password, Clock.At(now)));
                bool engineSpecific = vector.Get("engineSpecific") is not null && !Categories.ContainsKey(expectedError);
                if (engineSpecific)
                {
                    Assert.Equal(EngineCategory(expectedError), ex.Reason);
                    if (expectedError.StartsWith("Failed parsing sealed object JSON: ", StringComparison.Ordinal))
                        Assert.StartsWith("Failed parsing sealed object JSON: ", ex.Message);
                }
                else if (Categories.TryGetValue(expectedError, out SessionEncryptionFailureReason reason))
                {
                    Assert.Equal(expectedError, ex.Message);
                    Assert.Equal(reason, ex.Reason);
                }
                else
                {
                    // "Cannot find password: <id>"
                    Assert.Equal(expectedError, ex.Message);
                    Assert.Equal(SessionEncryptionFailureReason.PasswordMissing, ex.Reason);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(PlaintextCaseNames))]
    public void Decrypted_plaintext_decodes_to_the_recorded_text(string name)
    {
        JsNode vector = InteropVectors.Named("cases", name);
        long now = vector.Get("timeLimited") is { } limited ? limited.Ms("unsealableBeforeUnixMs") - 1 : vector.Ms("recordedAtUnixMs");

        using IronSeal.UnsealedPlaintext plaintext = IronSeal.UnsealCore(vector.Str("sealed")!, vector.Str("password")!, now);

        // TextDecoder semantics: U+FFFD for invalid UTF-8, a leading BOM stripped.
        Assert.Equal(vector.Str("expectedPlaintext"), IronSeal.DecodeUtf8(plaintext.Span));
    }

    [Theory]
    [MemberData(nameof(StringifiedCaseNames))]
    public void Json_writer_reproduces_the_recorded_plaintext_from_the_parsed_value(string name)
    {
        JsNode vector = InteropVectors.Named("cases", name);
        string expected = vector.Str("expectedPlaintext")!;

        // Parse the recorded JSON.stringify output and write it again: must be a fixed point.
        Assert.Equal(expected, JsJson.Canonicalize(expected));
    }

    [Theory]
    [MemberData(nameof(SealErrorNames))]
    public void Seal_fails_like_the_npm_package(string name)
    {
        JsNode vector = InteropVectors.Named("sealErrors", name);

        var ex = Assert.Throws<SessionEncryptionException>(
            () => IronSeal.Seal(vector.Get("input")!.Json(), vector.Str("password")!, vector.Seconds("ttlSeconds")));

        Assert.Equal(vector.Str("expectedError"), ex.Message);
        Assert.Equal(Categories[vector.Str("expectedError")!], ex.Reason);
    }

    [Theory]
    [MemberData(nameof(DeterministicNames))]
    public void Seal_with_recorded_clock_and_randomness_is_identical_to_the_npm_package(string name)
    {
        JsNode vector = InteropVectors.Named("deterministicSeal", name);
        var random = new FixedRandom(vector.Hex("randomHex"));

        string seal = IronSeal.Seal(
            vector.Get("input")!.Json(), vector.Str("password")!, vector.Seconds("ttlSeconds"), Clock.At(vector.Ms("nowUnixMs")), random.Fill);

        Assert.Equal(vector.Str("expectedSeal"), seal);
        Assert.Equal(80, random.Consumed);
    }

    [Theory]
    [MemberData(nameof(DeterministicNames))]
    public void Plaintext_of_deterministic_seals_matches_the_trace(string name)
    {
        JsNode vector = InteropVectors.Named("deterministicSeal", name);

        Assert.Equal(vector.Get("trace")!.Str("plaintext"), vector.Get("input")!.Json());
    }

    [Theory]
    [MemberData(nameof(DeterministicNames))]
    public void Deterministic_seals_unseal_to_their_input(string name)
    {
        JsNode vector = InteropVectors.Named("deterministicSeal", name);

        string json = IronSeal.Unseal(vector.Str("expectedSeal")!, vector.Str("password")!, Clock.At(vector.Ms("nowUnixMs")));

        Assert.Equal(vector.Get("input")!.Json(), json);
    }
}
