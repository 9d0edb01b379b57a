using System.Globalization;
using System.Text;

namespace AuthKit.Session.Internal;

/// <summary>
/// The part of the WHATWG URL parser that decides a URL's <c>pathname</c>, <c>search</c> and <c>hash</c> when parsed
/// against the base <c>https://placeholder.invalid/</c>, which is what the npm package's <c>sanitizeReturnPathname</c>
/// does with <c>new URL(candidate, base)</c>. The host is parsed only to learn whether the parser would fail (the host is
/// discarded). Scheme, authority, dot segments, percent-encoding sets, the <c>file:</c> drive-letter quirks, IPv4 and IPv6
/// hosts follow the URL Standard; internationalized host names go through <see cref="IdnMapping"/>, which is close to, not
/// exactly, UTS #46 as the standard configures it (only whether such a URL fails differs, never the path).
/// </summary>
internal static class WhatwgUrlPath
{
    private const string HexDigits = "0123456789ABCDEF";
    private static readonly IdnMapping Idn = new() { AllowUnassigned = true, UseStd3AsciiRules = false };

    private enum EncodeSet { C0Control, Fragment, Query, SpecialQuery, Path }

    /// <summary>Parses <paramref name="input"/>; false where the URL parser returns failure.</summary>
    public static bool TryParse(string input, out string pathname, out string search, out string hash) =>
        TryParse(input, out pathname, out search, out hash, out _);

    /// <summary>
    /// As <see cref="TryParse(string, out string, out string, out string)"/>; <paramref name="internationalHost"/> tells
    /// whether a host went through IDNA (non-ASCII or <c>xn--</c> labels), where only the parse's success may differ from
    /// the URL Standard (see the type's remarks).
    /// </summary>
    public static bool TryParse(string input, out string pathname, out string search, out string hash, out bool internationalHost)
    {
        pathname = search = hash = string.Empty;
        var s = Preprocess(input);
        var parser = new Parser(s);
        var parsed = parser.Run();
        internationalHost = parser.InternationalHost;
        if (!parsed)
        {
            return false;
        }

        pathname = parser.Pathname();
        search = parser.Query is { Length: > 0 } q ? "?" + q : string.Empty;
        hash = parser.Fragment is { Length: > 0 } f ? "#" + f : string.Empty;
        return true;
    }

    /// <summary>
    /// A USVString, as JavaScript hands the string to the URL parser (lone surrogates become U+FFFD, before anything is
    /// removed, so a tab between two halves does not join them), with leading and trailing C0 controls and spaces
    /// stripped and every ASCII tab and newline removed.
    /// </summary>
    private static string Preprocess(string input)
    {
        input = ToUsvString(input);
        int start = 0, end = input.Length;
        while (start < end && input[start] <= ' ') start++;
        while (end > start && input[end - 1] <= ' ') end--;
        var span = input.AsSpan(start, end - start);
        if (span.IndexOfAny('\t', '\n', '\r') < 0)
        {
            return span.ToString();
        }

        var builder = new StringBuilder(span.Length);
        foreach (var c in span)
        {
            if (c is not ('\t' or '\n' or '\r')) builder.Append(c);
        }

        return builder.ToString();
    }

    private static string ToUsvString(string input)
    {
        var firstSurrogate = input.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF');
        if (firstSurrogate < 0)
        {
            return input;
        }

        var chars = input.ToCharArray();
        for (var i = firstSurrogate; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }

    private sealed class Parser(string s)
    {
        private readonly List<string> _path = [];
        private bool _special = true;
        private bool _file;
        private string? _opaquePath;

        public string? Query { get; private set; }

        public bool InternationalHost { get; private set; }

        public string? Fragment { get; private set; }

        public string Pathname()
        {
            if (_opaquePath is not null) return _opaquePath;
            var builder = new StringBuilder();
            foreach (var segment in _path) builder.Append('/').Append(segment);
            return builder.ToString();
        }

        public bool Run()
        {
            var colon = SchemeEnd();
            if (colon < 0)
            {
                return Relative(0);
            }

            var scheme = s[..colon].ToLowerInvariant();
            var i = colon + 1;
            switch (scheme)
            {
                case "https":
                    // The base's own scheme: "https:x" is relative to the base, "https://x" has an authority.
                    return Relative(i);
                case "http" or "ws" or "wss" or "ftp":
                    while (i < s.Length && s[i] is '/' or '\\') i++;
                    return Authority(i);
                case "file":
                    _file = true;
                    return File(i);
                default:
                    _special = false;
                    if (i < s.Length && s[i] == '/')
                    {
                        return i + 1 < s.Length && s[i + 1] == '/' ? Authority(i + 2) : PathState(i + 1);
                    }

                    return OpaquePath(i);
            }
        }

        /// <summary>The index of the colon ending a scheme (ASCII alpha, then alphanumerics, <c>+ - .</c>), or -1.</summary>
        private int SchemeEnd()
        {
            if (s.Length == 0 || !char.IsAsciiLetter(s[0])) return -1;
            for (var i = 1; i < s.Length; i++)
            {
                var c = s[i];
                if (c == ':') return i;
                if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.')) return -1;
            }

            return -1;
        }

        /// <summary>Relative to the special base <c>https://placeholder.invalid/</c>.</summary>
        private bool Relative(int i)
        {
            if (i >= s.Length)
            {
                _path.Add(string.Empty);
                return true;
            }

            var c = s[i];
            if (c is '/' or '\\')
            {
                if (i + 1 < s.Length && s[i + 1] is '/' or '\\')
                {
                    i += 2;
                    while (i < s.Length && s[i] is '/' or '\\') i++;
                    return Authority(i);
                }

                return PathState(i + 1);
            }

            if (c == '?')
            {
                _path.Add(string.Empty);
                return QueryState(i + 1);
            }

            if (c == '#')
            {
                _path.Add(string.Empty);
                FragmentState(i + 1);
                return true;
            }

            return PathState(i);
        }

        private bool File(int i)
        {
            if (i < s.Length && s[i] is '/' or '\\')
            {
                i++;
                if (i < s.Length && s[i] is '/' or '\\')
                {
                    i++;
                    var end = i;
                    while (end < s.Length && s[end] is not ('/' or '\\' or '?' or '#')) end++;
                    var host = s[i..end];
                    if (IsWindowsDriveLetter(host, normalizedOnly: false))
                    {
                        return PathState(i);
                    }

                    InternationalHost |= IsInternational(host);
                    if (host.Length > 0 && !TryParseHost(host, special: true))
                    {
                        return false;
                    }

                    return PathStart(end);
                }
            }

            return PathState(i);
        }

        private bool Authority(int i)
        {
            var end = i;
            while (end < s.Length && !IsAuthorityEnd(s[end])) end++;
            var authority = s.AsSpan(i, end - i);
            var at = authority.LastIndexOf('@');
            var hostPort = at >= 0 ? authority[(at + 1)..] : authority;
            if (at >= 0 && hostPort.IsEmpty)
            {
                return false;
            }

            var colon = -1;
            var insideBrackets = false;
            for (var k = 0; k < hostPort.Length; k++)
            {
                var c = hostPort[k];
                if (c == '[') insideBrackets = true;
                else if (c == ']') insideBrackets = false;
                else if (c == ':' && !insideBrackets)
                {
                    colon = k;
                    break;
                }
            }

            var host = colon >= 0 ? hostPort[..colon] : hostPort;
            if (host.IsEmpty && (_special || colon >= 0))
            {
                return false;
            }

            if (colon >= 0)
            {
                var port = hostPort[(colon + 1)..];
                if (port.Length > 0)
                {
                    var value = 0;
                    foreach (var c in port)
                    {
                        if (!char.IsAsciiDigit(c)) return false;
                        value = value * 10 + (c - '0');
                        if (value > 65535) return false;
                    }
                }
            }

            InternationalHost |= IsInternational(host);
            if (!host.IsEmpty && !TryParseHost(host.ToString(), _special))
            {
                return false;
            }

            return PathStart(end);
        }

        private bool IsAuthorityEnd(char c) => c is '/' or '?' or '#' || (_special && c == '\\');

        private bool PathStart(int i)
        {
            if (_special)
            {
                if (i < s.Length && s[i] is '/' or '\\') i++;
                return PathState(i);
            }

            if (i < s.Length && s[i] == '?') return QueryState(i + 1);
            if (i < s.Length && s[i] == '#')
            {
                FragmentState(i + 1);
                return true;
            }

            return i < s.Length ? PathState(s[i] == '/' ? i + 1 : i) : true;
        }

        private bool PathState(int i)
        {
            var buffer = new StringBuilder();
            for (; ; i++)
            {
                var atEnd = i >= s.Length;
                var c = atEnd ? '\0' : s[i];
                var separator = !atEnd && (c == '/' || (_special && c == '\\'));
                if (atEnd || separator || c is '?' or '#')
                {
                    var segment = buffer.ToString();
                    buffer.Clear();
                    if (IsDoubleDot(segment))
                    {
                        Shorten();
                        if (!separator) _path.Add(string.Empty);
                    }
                    else if (IsSingleDot(segment))
                    {
                        if (!separator) _path.Add(string.Empty);
                    }
                    else
                    {
                        if (_file && _path.Count == 0 && IsWindowsDriveLetter(segment, normalizedOnly: false))
                        {
                            segment = segment[0] + ":";
                        }

                        _path.Add(segment);
                    }

                    if (atEnd) return true;
                    if (c == '?') return QueryState(i + 1);
                    if (c == '#')
                    {
                        FragmentState(i + 1);
                        return true;
                    }

                    continue;
                }

                i = AppendEncoded(buffer, i, EncodeSet.Path);
            }
        }

        private void Shorten()
        {
            if (_file && _path.Count == 1 && IsWindowsDriveLetter(_path[0], normalizedOnly: true)) return;
            if (_path.Count > 0) _path.RemoveAt(_path.Count - 1);
        }

        private bool OpaquePath(int i)
        {
            var buffer = new StringBuilder();
            for (; i < s.Length; i++)
            {
                var c = s[i];
                if (c == '?')
                {
                    _opaquePath = buffer.ToString();
                    return QueryState(i + 1);
                }

                if (c == '#')
                {
                    _opaquePath = buffer.ToString();
                    FragmentState(i + 1);
                    return true;
                }

                i = AppendEncoded(buffer, i, EncodeSet.C0Control);
            }

            _opaquePath = buffer.ToString();
            return true;
        }

        private bool QueryState(int i)
        {
            var buffer = new StringBuilder();
            for (; i < s.Length; i++)
            {
                if (s[i] == '#')
                {
                    Query = buffer.ToString();
                    FragmentState(i + 1);
                    return true;
                }

                i = AppendEncoded(buffer, i, _special ? EncodeSet.SpecialQuery : EncodeSet.Query);
            }

            Query = buffer.ToString();
            return true;
        }

        private void FragmentState(int i)
        {
            var buffer = new StringBuilder();
            for (; i < s.Length; i++) i = AppendEncoded(buffer, i, EncodeSet.Fragment);
            Fragment = buffer.ToString();
        }

        /// <summary>Appends the code point at <paramref name="i"/>, UTF-8 percent-encoded when in the set; returns its last index.</summary>
        private int AppendEncoded(StringBuilder buffer, int i, EncodeSet set)
        {
            var c = s[i];
            if (c < 0x80)
            {
                if (InSet(c, set)) AppendByte(buffer, (byte)c);
                else buffer.Append(c);
                return i;
            }

            Span<byte> bytes = stackalloc byte[4];
            int written;
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                written = Encoding.UTF8.GetBytes(s.AsSpan(i, 2), bytes);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                written = Encoding.UTF8.GetBytes("\uFFFD", bytes); // a lone surrogate is a USVString's U+FFFD
            }
            else
            {
                written = Encoding.UTF8.GetBytes(s.AsSpan(i, 1), bytes);
            }

            foreach (var b in bytes[..written]) AppendByte(buffer, b);
            return i;
        }
    }

    /// <summary>Non-ASCII (raw or percent-encoded) or an <c>xn--</c> label: IDNA decides whether the host is valid.</summary>
    private static bool IsInternational(ReadOnlySpan<char> host) =>
        host.ContainsAnyExceptInRange('\0', '\u007F') || host.Contains('%') || host.IndexOf("xn--", StringComparison.OrdinalIgnoreCase) >= 0;

    private static void AppendByte(StringBuilder buffer, byte b) =>
        buffer.Append('%').Append(HexDigits[b >> 4]).Append(HexDigits[b & 0xF]);

    private static bool InSet(char c, EncodeSet set)
    {
        if (c < 0x20 || c > 0x7E) return true;
        return set switch
        {
            EncodeSet.Fragment => c is ' ' or '"' or '<' or '>' or '`',
            EncodeSet.Query => c is ' ' or '"' or '#' or '<' or '>',
            EncodeSet.SpecialQuery => c is ' ' or '"' or '#' or '<' or '>' or '\'',
            EncodeSet.Path => c is ' ' or '"' or '#' or '<' or '>' or '?' or '`' or '{' or '}',
            _ => false,
        };
    }

    private static bool IsSingleDot(string segment) => segment == "." || segment.Equals("%2e", StringComparison.OrdinalIgnoreCase);

    private static bool IsDoubleDot(string segment) => segment.Length switch
    {
        2 => segment == "..",
        4 => segment.Equals(".%2e", StringComparison.OrdinalIgnoreCase) || segment.Equals("%2e.", StringComparison.OrdinalIgnoreCase),
        6 => segment.Equals("%2e%2e", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    private static bool IsWindowsDriveLetter(string value, bool normalizedOnly) =>
        value.Length == 2 && char.IsAsciiLetter(value[0]) && (value[1] == ':' || (!normalizedOnly && value[1] == '|'));

    // ------------------------------------------------------------------ hosts (parsed only to learn whether they fail)

    private static bool TryParseHost(string input, bool special)
    {
        if (input.StartsWith('['))
        {
            return input.EndsWith(']') && input.Length >= 2 && IsIPv6(input.AsSpan(1, input.Length - 2));
        }

        if (!special)
        {
            foreach (var c in input)
            {
                if (IsForbiddenHostCodePoint(c)) return false;
            }

            return true;
        }

        var domain = PercentDecodeUtf8(input);
        if (!TryDomainToAscii(domain, out var ascii))
        {
            return false;
        }

        foreach (var c in ascii)
        {
            if (IsForbiddenHostCodePoint(c) || c < 0x20 || c is '%' or '\u007F') return false;
        }

        return !EndsInNumber(ascii) || IsIPv4(ascii);
    }

    private static bool IsForbiddenHostCodePoint(char c) =>
        c is '\0' or '\t' or '\n' or '\r' or ' ' or '#' or '/' or ':' or '<' or '>' or '?' or '@' or '[' or '\\' or ']' or '^' or '|';

    private static string PercentDecodeUtf8(string input)
    {
        if (!input.Contains('%'))
        {
            return input;
        }

        var source = Encoding.UTF8.GetBytes(input);
        var bytes = new List<byte>(source.Length);
        for (var i = 0; i < source.Length; i++)
        {
            if (source[i] == '%' && i + 2 < source.Length && IsHex(source[i + 1]) && IsHex(source[i + 2]))
            {
                bytes.Add((byte)((HexValue(source[i + 1]) << 4) | HexValue(source[i + 2])));
                i += 2;
            }
            else
            {
                bytes.Add(source[i]);
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray()); // invalid sequences become U+FFFD, which IDNA then refuses
    }

    private static bool IsHex(byte b) => b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F');

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    private static bool TryDomainToAscii(string domain, out string ascii)
    {
        ascii = domain;
        var needsIdna = false;
        foreach (var c in domain)
        {
            if (c >= 0x80) { needsIdna = true; break; }
        }

        var labels = (needsIdna ? domain.Replace('\u3002', '.').Replace('\uFF0E', '.').Replace('\uFF61', '.') : domain).Split('.');
        var builder = new StringBuilder(domain.Length);
        for (var k = 0; k < labels.Length; k++)
        {
            if (k > 0) builder.Append('.');
            var label = needsIdna ? RemoveIgnored(labels[k]) : labels[k];
            var isAscii = true;
            foreach (var c in label)
            {
                if (c >= 0x80) { isAscii = false; break; }
            }

            if (!isAscii && label.StartsWith("xn--", StringComparison.OrdinalIgnoreCase))
            {
                return false; // a Punycode label holds only ASCII
            }

            if (isAscii && !label.StartsWith("xn--", StringComparison.OrdinalIgnoreCase))
            {
                builder.Append(label.ToLowerInvariant());
                continue;
            }

            try
            {
                // xn-- labels must decode; other labels are mapped and validated, then encoded.
                // The URL Standard runs UTS #46 with CheckHyphens off; IdnMapping always checks them, so hyphens are
                // validated as letters (only success or failure matters: the host is discarded).
                var encoded = isAscii ? label.ToLowerInvariant() : Idn.GetAscii(label.Replace('-', 'a'));
                _ = Idn.GetUnicode(encoded);
                builder.Append(encoded);
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        ascii = builder.ToString();
        return ascii.Length > 0;
    }

    /// <summary>Drops the code points UTS #46 maps to nothing (soft hyphen, zero-width space, variation selectors, BOM, ...).</summary>
    private static string RemoveIgnored(string label)
    {
        var builder = new StringBuilder(label.Length);
        foreach (var c in label)
        {
            if (c is '\u00AD' or '\u034F' or (>= '\u180B' and <= '\u180D') or '\u180F' or '\u200B' or '\u2060' or '\u2064' or
                (>= '\uFE00' and <= '\uFE0F') or '\uFEFF')
            {
                continue;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static bool EndsInNumber(string domain)
    {
        var parts = domain.Split('.');
        var count = parts.Length;
        if (parts[^1].Length == 0)
        {
            if (count == 1) return false;
            count--;
        }

        var last = parts[count - 1];
        if (last.Length > 0 && last.All(char.IsAsciiDigit)) return true;
        return TryParseIPv4Number(last, out _);
    }

    private static bool IsIPv4(string domain)
    {
        var parts = domain.Split('.').ToList();
        if (parts[^1].Length == 0 && parts.Count > 1) parts.RemoveAt(parts.Count - 1);
        if (parts.Count > 4) return false;
        var numbers = new List<ulong>(parts.Count);
        foreach (var part in parts)
        {
            if (!TryParseIPv4Number(part, out var n)) return false;
            numbers.Add(n);
        }

        for (var k = 0; k < numbers.Count - 1; k++)
        {
            if (numbers[k] > 255) return false;
        }

        return numbers[^1] < (1UL << (8 * (5 - numbers.Count)));
    }

    private static bool TryParseIPv4Number(string input, out ulong value)
    {
        value = 0;
        if (input.Length == 0) return false;
        var radix = 10;
        var digits = input.AsSpan();
        if (digits.Length >= 2 && digits[0] == '0' && digits[1] is 'x' or 'X')
        {
            radix = 16;
            digits = digits[2..];
        }
        else if (digits.Length >= 2 && digits[0] == '0')
        {
            radix = 8;
            digits = digits[1..];
        }

        foreach (var c in digits)
        {
            var d = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiHexDigitLower(c) ? c - 'a' + 10 : char.IsAsciiHexDigitUpper(c) ? c - 'A' + 10 : 99;
            if (d >= radix) return false;
            value = Math.Min(value * (ulong)radix + (ulong)d, 1UL << 40); // saturates: anything this large fails anyway
        }

        return true;
    }

    /// <summary>The URL Standard's IPv6 parser (accept or fail only).</summary>
    private static bool IsIPv6(ReadOnlySpan<char> input)
    {
        var pieceIndex = 0;
        var compress = -1;
        var i = 0;
        if (i < input.Length && input[i] == ':')
        {
            if (i + 1 >= input.Length || input[i + 1] != ':') return false;
            i += 2;
            pieceIndex++;
            compress = pieceIndex;
        }

        while (i < input.Length)
        {
            if (pieceIndex == 8) return false;
            if (input[i] == ':')
            {
                if (compress >= 0) return false;
                i++;
                pieceIndex++;
                compress = pieceIndex;
                continue;
            }

            var length = 0;
            while (length < 4 && i < input.Length && char.IsAsciiHexDigit(input[i]))
            {
                i++;
                length++;
            }

            if (i < input.Length && input[i] == '.')
            {
                if (length == 0) return false;
                i -= length;
                if (pieceIndex > 6) return false;
                var numbersSeen = 0;
                while (i < input.Length)
                {
                    if (numbersSeen > 0)
                    {
                        if (input[i] == '.' && numbersSeen < 4) i++;
                        else return false;
                    }

                    if (i >= input.Length || !char.IsAsciiDigit(input[i])) return false;
                    var ipv4Piece = -1;
                    while (i < input.Length && char.IsAsciiDigit(input[i]))
                    {
                        var number = input[i] - '0';
                        if (ipv4Piece == -1) ipv4Piece = number;
                        else if (ipv4Piece == 0) return false;
                        else ipv4Piece = ipv4Piece * 10 + number;
                        if (ipv4Piece > 255) return false;
                        i++;
                    }

                    numbersSeen++;
                    if (numbersSeen is 2 or 4) pieceIndex++;
                }

                if (numbersSeen != 4) return false;
                break;
            }

            if (i < input.Length && input[i] == ':')
            {
                i++;
                if (i >= input.Length) return false;
            }
            else if (i < input.Length)
            {
                return false;
            }

            pieceIndex++;
        }

        return compress >= 0 || pieceIndex == 8;
    }
}
