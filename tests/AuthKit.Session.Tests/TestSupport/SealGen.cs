using System.Text;
using CsCheck;

namespace AuthKit.Session.Tests.TestSupport;

/// <summary>
/// Generators of seal-shaped input: random text, and mutations of valid seals
/// (<c>Fe26.2*1*salt*iv*ciphertext*expiration*salt*hmac~2</c>).
/// </summary>
internal static class SealGen
{
    private const string SealAlphabet = "Fe26.2*~0123456789abcdefABCDEFxyzXYZ-_=+/ \t";

    /// <summary>Characters that break naive parsers: lone surrogates, a pair, NUL, BOM, replacement, Latin-1, CJK, separators.</summary>
    public static readonly string[] Awkward =
    [
        "\uD800", "\uDBFF", "\uDC00", "\uDFFF", "\uD83D\uDE00", "\0", "\uFEFF", "\uFFFD", "\uFFFF", "é", "日", "\u2028", "\u00A0",
        "\u0661", "\uFF12", "%", "%00", "~", "*", "=",
    ];

    /// <summary>Whitespace JavaScript's <c>parseInt</c> skips, and some it does not.</summary>
    public static readonly string[] Whitespace = [" ", "\t", "\n", "\r", "\v", "\f", "\u00A0", "\uFEFF", "\u2028", "\u3000", "\u200B"];

    /// <summary>Any UTF-16 text, including lone surrogates.</summary>
    public static readonly Gen<string> AnyText = Gen.String[Gen.Char, 0, 300];

    /// <summary>Well-formed Unicode text (no lone surrogates) from ASCII, Latin-1, BMP and astral ranges.</summary>
    public static readonly Gen<string> UnicodeText = Gen.Frequency(
            (4, Gen.Char[' ', '~'].Select(c => c.ToString())),
            (1, Gen.Char['\u00A0', '\u024F'].Select(c => c.ToString())),
            (1, Gen.Char['\u3040', '\u9FFF'].Select(c => c.ToString())),
            (1, Gen.Int[0x1F300, 0x1FAFF].Select(char.ConvertFromUtf32)),
            (1, Gen.Char['\0', '\u001F'].Select(c => c.ToString())))
        .Array[0, 40].Select(parts => string.Concat(parts));

    /// <summary>Text from the characters of a seal (so splits on '*' and '~' happen often).</summary>
    public static readonly Gen<string> SealLikeText = Gen.String[Gen.Char[SealAlphabet], 0, 400];

    /// <summary><c>Fe26.2*1*</c> followed by six random fields, so inputs reach the checks after the component count.</summary>
    public static readonly Gen<string> EightRandomFields =
        Gen.Frequency((3, SealLikeText.Select(s => s.Replace("*", "", StringComparison.Ordinal))), (1, AnyText)).Array[6]
            .Select(Gen.Frequency((3, Gen.Const("~2")), (1, SealLikeText)), (fields, suffix) => "Fe26.2*1*" + string.Join('*', fields) + suffix);

    /// <summary>Random strings of several kinds.</summary>
    public static readonly Gen<string> RandomStrings = Gen.Frequency((2, AnyText), (2, SealLikeText), (3, EightRandomFields), (1, UnicodeText));

    /// <summary>One bit flipped in one character (the flip may produce a surrogate, '~', '*' or any other character).</summary>
    public static Gen<string> BitFlip(Gen<string> valid) =>
        Gen.Select(valid, Gen.Int[0, int.MaxValue], Gen.Int[0, 15], Gen.Int[0, 9], (seal, pick, bit, where) =>
        {
            var (start, end) = where switch
            {
                < 7 => Part(seal, new[] { 2, 3, 4, 4, 6, 7, 7 }[where]),
                < 9 => (0, seal.Length),
                _ => Part(seal, 5),
            };
            if (end <= start) (start, end) = (0, seal.Length);
            var i = start + pick % (end - start);
            var chars = seal.ToCharArray();
            chars[i] = (char)(chars[i] ^ (1 << bit));
            return new string(chars);
        });

    /// <summary>A prefix of the seal, or the seal without some characters at its end or middle.</summary>
    public static Gen<string> Truncation(Gen<string> valid) =>
        Gen.Select(valid, Gen.Int[0, int.MaxValue], Gen.Int[1, 64], Gen.Bool, (seal, pick, count, middle) =>
        {
            if (!middle) return seal[..(pick % seal.Length)];
            var i = pick % seal.Length;
            return seal.Remove(i, Math.Min(count, seal.Length - i));
        });

    /// <summary>Suffixes: none, <c>~2</c> variants JavaScript's <c>parseInt</c> reads as 2, and everything else.</summary>
    public static readonly string[] KeepSuffixes =
        ["", "~2", "~02", "~ 2", "~\t2", "~+2", "~ +2", "~+02", "~2~", "~2~x", "~2.5", "~2e0", "~2abc", "~\u00A02", "~\uFEFF2", "~\u3000 2", "~\v2", "~2\uD800"];

    /// <summary>Suffixes after which the npm package returns the payload's <c>persistent</c> member (or <c>{}</c>).</summary>
    public static readonly string[] PersistentSuffixes = ["~", "~1", "~3", "~20", "~-2", "~ +2", "~x2", "~\u200B2", "~\u0662", "~\uFF12", "~~2", "~22", "~0x2", "~ -2"];

    /// <summary>The seal with its <c>~2</c> replaced by another suffix (listed or random).</summary>
    public static Gen<(string Seal, string Suffix)> Suffix(Gen<string> valid) =>
        Gen.Select(valid, Gen.Frequency(
            (2, Gen.OneOf(KeepSuffixes)),
            (2, Gen.OneOf(PersistentSuffixes)),
            (1, SealLikeText.Select(s => "~" + s)),
            (1, AnyText.Select(s => "~" + s))), (seal, suffix) => (Body(seal) + suffix, suffix));

    /// <summary>'=' padding on a base64 part, extra '*' separators, whitespace anywhere.</summary>
    public static Gen<string> Padding(Gen<string> valid) =>
        Gen.Select(valid, Gen.Int[0, 5], Gen.Int[0, int.MaxValue], Gen.Int[1, 4], Gen.OneOf(Whitespace), (seal, kind, pick, count, space) =>
        {
            switch (kind)
            {
                case 0:
                {
                    var (_, end) = Part(seal, new[] { 3, 4, 7 }[pick % 3]);
                    return seal.Insert(end, new string('=', count));
                }
                case 1:
                    return seal.Insert(pick % (seal.Length + 1), new string('*', count));
                case 2:
                {
                    var (start, _) = Part(seal, pick % 8);
                    return seal.Insert(start, "*");
                }
                case 3:
                    return seal.Insert(pick % (seal.Length + 1), space);
                case 4:
                    return (pick % 2 == 0 ? space + seal : seal + space);
                default:
                {
                    var (start, end) = Part(seal, new[] { 3, 4, 7 }[pick % 3]);
                    return seal[..start] + seal[start..end].Replace('-', '+').Replace('_', '/') + seal[end..];
                }
            }
        });

    /// <summary>Expiration fields far out of range, in other digit systems, signed, exponent or float forms.</summary>
    public static Gen<string> HugeExpiration(Gen<string> valid, int maxDigits) =>
        Gen.Select(valid, Gen.Frequency(
            (3, Gen.Int[1, maxDigits].Select(n => new string('9', n))),
            (2, Gen.Int[1, maxDigits].Select(n => "1" + new string('0', n))),
            (1, Gen.Int[1, maxDigits].Select(n => new string('0', n) + "1")),
            (2, Gen.OneOf("0", "-1", "+1", "1e400", "1E+30", "Infinity", "NaN", "0x7FFFFFFFFFFFFFFF", "9223372036854775807",
                "9223372036854775808", "18446744073709551616", "1.5", " 1", "1 ", "١٢٣", "１２３", "\uD800", "1\0")),
            (1, Gen.Long.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)))), (seal, exp) => ReplacePart(seal, 5, exp));

    /// <summary>An awkward character (lone surrogate, non-ASCII, NUL...) inserted or written over one character.</summary>
    public static Gen<string> NonAscii(Gen<string> valid) =>
        Gen.Select(valid, Gen.OneOf(Awkward), Gen.Int[0, int.MaxValue], Gen.Bool, (seal, text, pick, replace) =>
        {
            var i = pick % seal.Length;
            return replace ? seal[..i] + text + seal[(i + 1)..] : seal.Insert(i, text);
        });

    /// <summary>The seal before its first '~'.</summary>
    public static string Body(string seal)
    {
        var tilde = seal.IndexOf('~', StringComparison.Ordinal);
        return tilde < 0 ? seal : seal[..tilde];
    }

    /// <summary>Start and end (exclusive) of the '*'-separated part <paramref name="index"/> of the body.</summary>
    public static (int Start, int End) Part(string seal, int index)
    {
        var body = Body(seal);
        var start = 0;
        for (var i = 0; i < index; i++)
        {
            var star = body.IndexOf('*', start);
            if (star < 0) return (body.Length, body.Length);
            start = star + 1;
        }

        var end = body.IndexOf('*', start);
        return (start, end < 0 ? body.Length : end);
    }

    public static string ReplacePart(string seal, int index, string value)
    {
        var (start, end) = Part(seal, index);
        return seal[..start] + value + seal[end..];
    }

    /// <summary><paramref name="depth"/> nested arrays, objects or a mix, optionally unbalanced.</summary>
    public static Gen<string> DeepJson(int maxDepth) =>
        Gen.Select(Gen.Int[1, maxDepth], Gen.Int[0, 3], Gen.Bool, (depth, kind, balanced) =>
        {
            var (open, close) = kind switch
            {
                0 => ("[", "]"),
                1 => ("{\"a\":", "}"),
                2 => ("[{\"x\":", "}]"),
                _ => ("{\"persistent\":", "}"),
            };
            var builder = new StringBuilder(depth * (open.Length + close.Length) + 4);
            for (var i = 0; i < depth; i++) builder.Append(open);
            builder.Append(kind == 0 ? "1" : "null");
            if (balanced)
            {
                for (var i = 0; i < depth; i++) builder.Append(close);
            }

            return builder.ToString();
        });

    /// <summary>Large JSON: a long string or a long array (up to <paramref name="maxChars"/> characters).</summary>
    public static Gen<string> HugeJson(int maxChars) =>
        Gen.Select(Gen.Int[1_000, maxChars], Gen.Int[0, 2], Gen.Char['\u0020', '\u07FF'].Where(c => c is not ('"' or '\\')), (size, kind, filler) => kind switch
        {
            0 => "{\"k\":\"" + new string('x', size) + "\"}",
            1 => "{\"k\":\"" + new string(filler, size / 2) + "\"}",
            _ => "[" + string.Join(',', Enumerable.Repeat("1.5e300", size / 8)) + "]",
        });

    /// <summary>An object with <c>min..max</c> distinct members (<c>{"m0":0,"m1":1,...}</c>).</summary>
    public static Gen<string> ManyMembers(int min, int max) =>
        Gen.Int[min, max].Select(count => "{" + string.Join(',', Enumerable.Range(0, count).Select(i => $"\"m{i}\":{i}")) + "}");
}
