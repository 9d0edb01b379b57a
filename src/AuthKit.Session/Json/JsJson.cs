using System.Globalization;

namespace AuthKit.Session.Json;

/// <summary>The kinds of <see cref="JsNode"/>.</summary>
internal enum JsNodeKind
{
    Null,
    False,
    True,
    Number,
    String,
    Array,
    Object,
}

/// <summary>
/// A JSON value with JavaScript semantics: numbers are doubles, strings are UTF-16 (lone surrogates allowed), objects keep
/// JavaScript's property order (array-index keys ascending first, then insertion order; a duplicate key keeps the first
/// position and the last value).
/// </summary>
internal sealed class JsNode
{
    public static readonly JsNode Null = new(JsNodeKind.Null);
    public static readonly JsNode True = new(JsNodeKind.True);
    public static readonly JsNode False = new(JsNodeKind.False);

    private JsNode(JsNodeKind kind) => Kind = kind;

    public JsNodeKind Kind { get; }
    public double Number { get; private init; }
    public string? String { get; private init; }
    public List<JsNode>? Items { get; private init; }
    public List<KeyValuePair<string, JsNode>>? Members { get; private init; }

    public static JsNode FromNumber(double value) => new(JsNodeKind.Number) { Number = value };
    public static JsNode FromString(string value) => new(JsNodeKind.String) { String = value };
    public static JsNode NewArray() => new(JsNodeKind.Array) { Items = [] };
    public static JsNode NewObject() => new(JsNodeKind.Object) { Members = [] };

    /// <summary>Objects with more members than this get a key index, so parsing stays linear (a hostile seal can hold thousands).</summary>
    private const int IndexThreshold = 16;

    private Dictionary<string, int>? _index;

    /// <summary>Sets a property with JavaScript assignment semantics (an existing key keeps its position).</summary>
    public void Set(string key, JsNode value)
    {
        List<KeyValuePair<string, JsNode>> members = Members!;
        int existing = IndexOf(key);
        if (existing >= 0)
        {
            members[existing] = new(key, value);
            return;
        }

        members.Add(new(key, value));
        if (_index is not null)
        {
            _index[key] = members.Count - 1;
        }
        else if (members.Count > IndexThreshold)
        {
            _index = new Dictionary<string, int>(members.Count * 2, StringComparer.Ordinal);
            for (int i = 0; i < members.Count; i++) _index[members[i].Key] = i;
        }
    }

    /// <summary>Looks a property up; null when absent.</summary>
    public JsNode? Get(string key)
    {
        if (Members is null) return null;
        int i = IndexOf(key);
        return i >= 0 ? Members[i].Value : null;
    }

    private int IndexOf(string key)
    {
        if (_index is not null) return _index.TryGetValue(key, out int found) ? found : -1;
        List<KeyValuePair<string, JsNode>> members = Members!;
        for (int i = 0; i < members.Count; i++)
        {
            if (string.Equals(members[i].Key, key, StringComparison.Ordinal)) return i;
        }
        return -1;
    }

    /// <summary>The members in JavaScript's enumeration order (array indices ascending first).</summary>
    public IEnumerable<KeyValuePair<string, JsNode>> OrderedMembers()
    {
        List<KeyValuePair<string, JsNode>> members = Members!;
        bool anyIndex = false;
        foreach (KeyValuePair<string, JsNode> m in members)
        {
            if (IsArrayIndex(m.Key, out _)) { anyIndex = true; break; }
        }
        if (!anyIndex) return members;
        var indices = new List<(uint Index, KeyValuePair<string, JsNode> Member)>();
        var others = new List<KeyValuePair<string, JsNode>>();
        foreach (KeyValuePair<string, JsNode> m in members)
        {
            if (IsArrayIndex(m.Key, out uint index)) indices.Add((index, m));
            else others.Add(m);
        }
        indices.Sort((a, b) => a.Index.CompareTo(b.Index));
        return indices.Select(x => x.Member).Concat(others);
    }

    /// <summary>An ECMAScript array index: the canonical decimal form of an integer in [0, 2^32 - 2].</summary>
    internal static bool IsArrayIndex(string key, out uint index)
    {
        index = 0;
        if (key.Length == 0 || key.Length > 10) return false;
        if (key[0] == '0') return key.Length == 1;
        ulong value = 0;
        foreach (char c in key)
        {
            if (c is < '0' or > '9') return false;
            value = value * 10 + (uint)(c - '0');
        }
        if (value > 4294967294UL) return false;
        index = (uint)value;
        return true;
    }
}

/// <summary>Thrown by <see cref="JsJson.Parse"/> for text <c>JSON.parse</c> would reject.</summary>
internal sealed class JsJsonParseException(string message) : FormatException(message);

/// <summary><c>JSON.parse</c> and <c>JSON.stringify</c> with JavaScript semantics.</summary>
internal static class JsJson
{
    private const int MaxDepth = 1000;

    /// <summary>Parses like <c>JSON.parse</c>. Throws <see cref="JsJsonParseException"/> (message without content).</summary>
    public static JsNode Parse(ReadOnlySpan<char> text)
    {
        var parser = new Parser(text);
        parser.SkipWhitespace();
        JsNode value = parser.ParseValue(0);
        parser.SkipWhitespace();
        if (!parser.AtEnd) parser.Fail("Unexpected non-whitespace character after JSON");
        return value;
    }

    /// <summary>Parses a string and returns it in <c>JSON.stringify</c> form.</summary>
    public static string Canonicalize(ReadOnlySpan<char> text) => Stringify(Parse(text));

    /// <summary><c>JSON.stringify(value)</c>.</summary>
    public static string Stringify(JsNode node)
    {
        using var buffer = new PooledUtf8Buffer(1024);
        Write(buffer, node);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes <c>JSON.stringify(value)</c> as UTF-8.</summary>
    public static void Write(PooledUtf8Buffer output, JsNode node)
    {
        switch (node.Kind)
        {
            case JsNodeKind.Null: output.Write("null"u8); break;
            case JsNodeKind.True: output.Write("true"u8); break;
            case JsNodeKind.False: output.Write("false"u8); break;
            case JsNodeKind.Number: JsJsonWriter.WriteNumber(output, node.Number); break;
            case JsNodeKind.String: JsJsonWriter.WriteString(output, node.String); break;
            case JsNodeKind.Array:
                output.Write((byte)'[');
                for (int i = 0; i < node.Items!.Count; i++)
                {
                    if (i > 0) output.Write((byte)',');
                    Write(output, node.Items[i]);
                }
                output.Write((byte)']');
                break;
            default:
                output.Write((byte)'{');
                bool first = true;
                foreach (KeyValuePair<string, JsNode> member in node.OrderedMembers())
                {
                    if (!first) output.Write((byte)',');
                    first = false;
                    JsJsonWriter.WritePropertyName(output, member.Key);
                    Write(output, member.Value);
                }
                output.Write((byte)'}');
                break;
        }
    }

    /// <summary>
    /// authkit's legacy rule for seals whose suffix is not <c>~2</c>: <c>{ ...data.persistent }</c>.
    /// Throws <see cref="InvalidOperationException"/> when <paramref name="data"/> is JSON <c>null</c> (JavaScript TypeError).
    /// </summary>
    public static JsNode SpreadPersistent(JsNode data)
    {
        if (data.Kind == JsNodeKind.Null) throw new InvalidOperationException("Cannot read properties of null (reading 'persistent')");
        JsNode result = JsNode.NewObject();
        JsNode? persistent = data.Kind == JsNodeKind.Object ? data.Get("persistent") : null;
        if (persistent is null) return result;
        switch (persistent.Kind)
        {
            case JsNodeKind.Object:
                foreach (KeyValuePair<string, JsNode> member in persistent.OrderedMembers()) result.Set(member.Key, member.Value);
                break;
            case JsNodeKind.Array:
                for (int i = 0; i < persistent.Items!.Count; i++) result.Set(i.ToString(CultureInfo.InvariantCulture), persistent.Items[i]);
                break;
            case JsNodeKind.String:
                string s = persistent.String!;
                for (int i = 0; i < s.Length; i++) result.Set(i.ToString(CultureInfo.InvariantCulture), JsNode.FromString(s[i].ToString()));
                break;
        }
        return result;
    }

    private ref struct Parser(ReadOnlySpan<char> text)
    {
        private readonly ReadOnlySpan<char> _text = text;
        private int _pos;

        public readonly bool AtEnd => _pos >= _text.Length;

        public void SkipWhitespace()
        {
            while (_pos < _text.Length && _text[_pos] is ' ' or '\t' or '\n' or '\r') _pos++;
        }

        public readonly void Fail(string what) =>
            throw new JsJsonParseException(AtEnd ? "Unexpected end of JSON input" : $"{what} at position {_pos}");

        public JsNode ParseValue(int depth)
        {
            if (depth > MaxDepth) Fail("Nesting too deep");
            if (AtEnd) Fail("Unexpected end");
            char c = _text[_pos];
            switch (c)
            {
                case '{': return ParseObject(depth);
                case '[': return ParseArray(depth);
                case '"': return JsNode.FromString(ParseString());
                case 't': Expect("true"); return JsNode.True;
                case 'f': Expect("false"); return JsNode.False;
                case 'n': Expect("null"); return JsNode.Null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) return ParseNumber();
                    Fail("Unexpected token");
                    return null!;
            }
        }

        private void Expect(string literal)
        {
            if (!_text[_pos..].StartsWith(literal, StringComparison.Ordinal)) Fail("Unexpected token");
            _pos += literal.Length;
        }

        private JsNode ParseObject(int depth)
        {
            _pos++;
            JsNode node = JsNode.NewObject();
            SkipWhitespace();
            if (!AtEnd && _text[_pos] == '}')
            {
                _pos++;
                return node;
            }
            while (true)
            {
                SkipWhitespace();
                if (AtEnd || _text[_pos] != '"') Fail("Expected property name");
                string key = ParseString();
                SkipWhitespace();
                if (AtEnd || _text[_pos] != ':') Fail("Expected ':' after property name");
                _pos++;
                SkipWhitespace();
                node.Set(key, ParseValue(depth + 1));
                SkipWhitespace();
                if (AtEnd) Fail("Unterminated object");
                char c = _text[_pos++];
                if (c == '}') return node;
                if (c != ',') { _pos--; Fail("Expected ',' or '}' after property value"); }
            }
        }

        private JsNode ParseArray(int depth)
        {
            _pos++;
            JsNode node = JsNode.NewArray();
            SkipWhitespace();
            if (!AtEnd && _text[_pos] == ']')
            {
                _pos++;
                return node;
            }
            while (true)
            {
                SkipWhitespace();
                node.Items!.Add(ParseValue(depth + 1));
                SkipWhitespace();
                if (AtEnd) Fail("Unterminated array");
                char c = _text[_pos++];
                if (c == ']') return node;
                if (c != ',') { _pos--; Fail("Expected ',' or ']' after array element"); }
            }
        }

        private string ParseString()
        {
            _pos++; // opening quote
            int start = _pos;
            // Fast path: no escapes.
            while (_pos < _text.Length)
            {
                char c = _text[_pos];
                if (c == '"')
                {
                    string s = new(_text[start.._pos]);
                    _pos++;
                    return s;
                }
                if (c == '\\') break;
                if (c < 0x20) Fail("Bad control character in string literal");
                _pos++;
            }
            var sb = new System.Text.StringBuilder();
            sb.Append(_text[start.._pos]);
            while (true)
            {
                if (AtEnd) Fail("Unterminated string in JSON");
                char c = _text[_pos];
                if (c == '"')
                {
                    _pos++;
                    return sb.ToString();
                }
                if (c < 0x20) Fail("Bad control character in string literal");
                if (c != '\\')
                {
                    sb.Append(c);
                    _pos++;
                    continue;
                }
                _pos++;
                if (AtEnd) Fail("Unterminated string in JSON");
                char e = _text[_pos++];
                switch (e)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                        if (_pos + 4 > _text.Length) { _pos = _text.Length; Fail("Bad Unicode escape"); }
                        int v = 0;
                        for (int k = 0; k < 4; k++)
                        {
                            char h = _text[_pos + k];
                            int d = h switch
                            {
                                >= '0' and <= '9' => h - '0',
                                >= 'a' and <= 'f' => h - 'a' + 10,
                                >= 'A' and <= 'F' => h - 'A' + 10,
                                _ => -1,
                            };
                            if (d < 0) Fail("Bad Unicode escape");
                            v = (v << 4) | d;
                        }
                        _pos += 4;
                        sb.Append((char)v);
                        break;
                    default:
                        _pos--;
                        Fail("Bad escaped character");
                        break;
                }
            }
        }

        private JsNode ParseNumber()
        {
            int start = _pos;
            if (_text[_pos] == '-') _pos++;
            if (AtEnd) Fail("No number after minus sign");
            if (_text[_pos] == '0')
            {
                _pos++;
            }
            else if (_text[_pos] is >= '1' and <= '9')
            {
                while (!AtEnd && char.IsAsciiDigit(_text[_pos])) _pos++;
            }
            else
            {
                Fail("No number after minus sign");
            }
            if (!AtEnd && _text[_pos] == '.')
            {
                _pos++;
                if (AtEnd || !char.IsAsciiDigit(_text[_pos])) Fail("Unterminated fractional number");
                while (!AtEnd && char.IsAsciiDigit(_text[_pos])) _pos++;
            }
            if (!AtEnd && _text[_pos] is 'e' or 'E')
            {
                _pos++;
                if (!AtEnd && _text[_pos] is '+' or '-') _pos++;
                if (AtEnd || !char.IsAsciiDigit(_text[_pos])) Fail("Exponent part is missing a number");
                while (!AtEnd && char.IsAsciiDigit(_text[_pos])) _pos++;
            }
            double value = double.Parse(_text[start.._pos], NumberStyles.Float, CultureInfo.InvariantCulture);
            return JsNode.FromNumber(value);
        }
    }
}
