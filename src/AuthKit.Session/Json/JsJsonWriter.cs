using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace AuthKit.Session.Json;

/// <summary>
/// Writes UTF-8 JSON exactly as JavaScript's <c>JSON.stringify</c> does (SEAL-FORMAT.md §8): escapes only <c>"</c>, <c>\</c>,
/// the C0 controls (<c>\b \f \n \r \t</c>, others as lowercase <c>\u00xx</c>) and unpaired surrogates; everything else is raw
/// UTF-8. Numbers use the ECMAScript Number-to-String form.
/// </summary>
internal static class JsJsonWriter
{
    private static ReadOnlySpan<byte> HexLower => "0123456789abcdef"u8;

    /// <summary>Writes <paramref name="value"/> as a JSON string literal.</summary>
    public static void WriteString(PooledUtf8Buffer output, ReadOnlySpan<char> value)
    {
        output.Write((byte)'"');
        int runStart = 0;
        int i = 0;
        while (i < value.Length)
        {
            char c = value[i];
            if (c >= 0x20 && c != '"' && c != '\\' && !char.IsSurrogate(c))
            {
                i++;
                continue;
            }
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i += 2;
                continue;
            }
            WriteUtf16Run(output, value[runStart..i]);
            WriteEscape(output, c);
            i++;
            runStart = i;
        }
        WriteUtf16Run(output, value[runStart..]);
        output.Write((byte)'"');
    }

    /// <summary>Writes a property name and the colon.</summary>
    public static void WritePropertyName(PooledUtf8Buffer output, ReadOnlySpan<char> name)
    {
        WriteString(output, name);
        output.Write((byte)':');
    }

    /// <summary>Writes a pre-escaped ASCII property name (<c>"name":</c>) known to need no escaping.</summary>
    public static void WriteAsciiPropertyName(PooledUtf8Buffer output, ReadOnlySpan<byte> quotedNameWithColon) => output.Write(quotedNameWithColon);

    private static void WriteUtf16Run(PooledUtf8Buffer output, ReadOnlySpan<char> run)
    {
        if (run.IsEmpty) return;
        Span<byte> destination = output.GetSpan(run.Length * 3);
        Utf8.FromUtf16(run, destination, out _, out int written, replaceInvalidSequences: true, isFinalBlock: true);
        output.Advance(written);
    }

    /// <summary>Writes the JSON.stringify escape of a code unit that must be escaped.</summary>
    private static void WriteEscape(PooledUtf8Buffer output, char c)
    {
        switch (c)
        {
            case '"': output.Write("\\\""u8); return;
            case '\\': output.Write("\\\\"u8); return;
            case '\b': output.Write("\\b"u8); return;
            case '\f': output.Write("\\f"u8); return;
            case '\n': output.Write("\\n"u8); return;
            case '\r': output.Write("\\r"u8); return;
            case '\t': output.Write("\\t"u8); return;
        }
        Span<byte> span = output.GetSpan(6);
        span[0] = (byte)'\\';
        span[1] = (byte)'u';
        span[2] = HexLower[(c >> 12) & 0xF];
        span[3] = HexLower[(c >> 8) & 0xF];
        span[4] = HexLower[(c >> 4) & 0xF];
        span[5] = HexLower[c & 0xF];
        output.Advance(6);
    }

    /// <summary>Writes a whole number (exact below 2^53, as JavaScript would print it).</summary>
    public static void WriteNumber(PooledUtf8Buffer output, long value)
    {
        if (value is > (1L << 53) or < -(1L << 53))
        {
            WriteNumber(output, (double)value);
            return;
        }
        Span<byte> span = output.GetSpan(24);
        value.TryFormat(span, out int written, default, CultureInfo.InvariantCulture);
        output.Advance(written);
    }

    /// <summary>Writes a double as <c>JSON.stringify</c> does (<c>null</c> for NaN/Infinity, <c>0</c> for -0).</summary>
    public static void WriteNumber(PooledUtf8Buffer output, double value)
    {
        if (!double.IsFinite(value))
        {
            output.Write("null"u8);
            return;
        }
        if (value == 0)
        {
            output.Write((byte)'0');
            return;
        }
        if (Math.Abs(value) <= 9007199254740992d && value == Math.Floor(value))
        {
            WriteNumber(output, (long)value);
            return;
        }
        string text = FormatJsNumber(value);
        Span<byte> span = output.GetSpan(text.Length);
        int n = Encoding.ASCII.GetBytes(text, span);
        output.Advance(n);
    }

    /// <summary>ECMAScript Number::toString(value) for a finite, non-zero value.</summary>
    internal static string FormatJsNumber(double value)
    {
        if (value == 0) return "0";
        // Shortest round-trip digits from .NET, then laid out by the ECMAScript rules.
        string r = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        int ePos = r.IndexOfAny(['E', 'e']);
        string mantissa = ePos < 0 ? r : r[..ePos];
        int exponent = ePos < 0 ? 0 : int.Parse(r.AsSpan(ePos + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        int dot = mantissa.IndexOf('.');
        int intLength = dot < 0 ? mantissa.Length : dot;
        string allDigits = dot < 0 ? mantissa : string.Concat(mantissa.AsSpan(0, dot), mantissa.AsSpan(dot + 1));
        int leadingZeros = 0;
        while (leadingZeros < allDigits.Length - 1 && allDigits[leadingZeros] == '0') leadingZeros++;
        string digits = allDigits[leadingZeros..].TrimEnd('0');
        if (digits.Length == 0) return "0";
        int k = digits.Length;
        int n = intLength - leadingZeros + exponent;

        var sb = new StringBuilder(32);
        if (value < 0) sb.Append('-');
        if (k <= n && n <= 21)
        {
            sb.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            sb.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            sb.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            int e = n - 1;
            sb.Append(digits[0]);
            if (k > 1) sb.Append('.').Append(digits, 1, k - 1);
            sb.Append('e').Append(e < 0 ? '-' : '+').Append(Math.Abs(e).ToString(CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>
    /// Writes a JSON string given as the raw (still escaped) UTF-8 content between its quotes, re-escaped the JavaScript way.
    /// Raw UTF-8 of valid JSON never needs escaping, so only escape sequences are rewritten.
    /// </summary>
    public static void WriteStringFromJsonEscaped(PooledUtf8Buffer output, ReadOnlySpan<byte> escaped)
    {
        output.Write((byte)'"');
        int i = 0;
        while (i < escaped.Length)
        {
            int backslash = escaped[i..].IndexOf((byte)'\\');
            if (backslash < 0)
            {
                output.Write(escaped[i..]);
                break;
            }
            output.Write(escaped.Slice(i, backslash));
            i += backslash;
            byte kind = escaped[i + 1];
            if (kind != 'u')
            {
                char decoded = kind switch
                {
                    (byte)'"' => '"',
                    (byte)'\\' => '\\',
                    (byte)'/' => '/',
                    (byte)'b' => '\b',
                    (byte)'f' => '\f',
                    (byte)'n' => '\n',
                    (byte)'r' => '\r',
                    (byte)'t' => '\t',
                    _ => throw new FormatException("Invalid JSON escape."),
                };
                if (decoded == '/') output.Write((byte)'/');
                else WriteEscape(output, decoded);
                i += 2;
                continue;
            }
            char unit = (char)ParseHex4(escaped.Slice(i + 2, 4));
            i += 6;
            if (char.IsHighSurrogate(unit) && i + 6 <= escaped.Length && escaped[i] == '\\' && escaped[i + 1] == 'u')
            {
                char low = (char)ParseHex4(escaped.Slice(i + 2, 4));
                if (char.IsLowSurrogate(low))
                {
                    WriteUtf16Run(output, [unit, low]);
                    i += 6;
                    continue;
                }
            }
            if (unit < 0x20 || unit == '"' || unit == '\\' || char.IsSurrogate(unit)) WriteEscape(output, unit);
            else WriteUtf16Run(output, [unit]);
        }
        output.Write((byte)'"');
    }

    private static int ParseHex4(ReadOnlySpan<byte> hex)
    {
        int v = 0;
        foreach (byte b in hex)
        {
            int d = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => throw new FormatException("Invalid JSON escape."),
            };
            v = (v << 4) | d;
        }
        return v;
    }

    /// <summary>Writes a <see cref="JsonElement"/> in JSON.stringify form (key order as in the element).</summary>
    public static void WriteElement(PooledUtf8Buffer output, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                output.Write((byte)'{');
                bool first = true;
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    if (!first) output.Write((byte)',');
                    first = false;
                    WriteStringFromJsonEscaped(output, JsonMarshal.GetRawUtf8PropertyName(property));
                    output.Write((byte)':');
                    WriteElement(output, property.Value);
                }
                output.Write((byte)'}');
                break;
            case JsonValueKind.Array:
                output.Write((byte)'[');
                bool firstItem = true;
                foreach (JsonElement item in element.EnumerateArray())
                {
                    if (!firstItem) output.Write((byte)',');
                    firstItem = false;
                    WriteElement(output, item);
                }
                output.Write((byte)']');
                break;
            case JsonValueKind.String:
                ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(element);
                WriteStringFromJsonEscaped(output, raw[1..^1]);
                break;
            case JsonValueKind.Number:
                ReadOnlySpan<byte> number = JsonMarshal.GetRawUtf8Value(element);
                if (IsCanonicalSmallInteger(number)) output.Write(number);
                else WriteNumber(output, element.GetDouble());
                break;
            case JsonValueKind.True:
                output.Write("true"u8);
                break;
            case JsonValueKind.False:
                output.Write("false"u8);
                break;
            default:
                output.Write("null"u8);
                break;
        }
    }

    private static bool IsCanonicalSmallInteger(ReadOnlySpan<byte> number)
    {
        ReadOnlySpan<byte> digits = number.Length > 0 && number[0] == '-' ? number[1..] : number;
        if (digits.IsEmpty || digits.Length > 15) return false;
        if (digits[0] == '0') return number.Length == 1; // "0" only; "-0" prints as "0"
        foreach (byte b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9') return false;
        }
        return true;
    }
}
