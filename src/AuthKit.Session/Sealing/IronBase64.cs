using System.Buffers;

namespace AuthKit.Session;

/// <summary>
/// Base64url as iron-webcrypto uses it on Node 20: unpadded encoding, and a lenient decoder that follows
/// <c>uint8array-extras</c> + WHATWG <c>atob</c> (SEAL-FORMAT.md §6).
/// </summary>
internal static class IronBase64
{
    private static ReadOnlySpan<byte> Alphabet => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"u8;

    /// <summary>Length of the unpadded encoding of <paramref name="byteCount"/> bytes.</summary>
    public static int GetEncodedLength(int byteCount) => (byteCount * 4 + 2) / 3;

    /// <summary>Writes the unpadded base64url encoding of <paramref name="source"/> as ASCII bytes; returns the count written.</summary>
    public static int Encode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (System.Buffers.Text.Base64Url.EncodeToUtf8(source, destination, out _, out int written) == OperationStatus.Done) return written;
        ReadOnlySpan<byte> map = Alphabet;
        int di = 0, i = 0;
        for (; i + 3 <= source.Length; i += 3)
        {
            int v = (source[i] << 16) | (source[i + 1] << 8) | source[i + 2];
            destination[di++] = map[(v >> 18) & 63];
            destination[di++] = map[(v >> 12) & 63];
            destination[di++] = map[(v >> 6) & 63];
            destination[di++] = map[v & 63];
        }
        int rest = source.Length - i;
        if (rest == 1)
        {
            int v = source[i] << 16;
            destination[di++] = map[(v >> 18) & 63];
            destination[di++] = map[(v >> 12) & 63];
        }
        else if (rest == 2)
        {
            int v = (source[i] << 16) | (source[i + 1] << 8);
            destination[di++] = map[(v >> 18) & 63];
            destination[di++] = map[(v >> 12) & 63];
            destination[di++] = map[(v >> 6) & 63];
        }
        return di;
    }

    /// <summary>Unpadded base64url string of <paramref name="source"/>.</summary>
    public static string Encode(ReadOnlySpan<byte> source)
    {
        int length = GetEncodedLength(source.Length);
        byte[]? rented = null;
        Span<byte> buffer = length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(length));
        int written = Encode(source, buffer);
        string result = System.Text.Encoding.ASCII.GetString(buffer[..written]);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        return result;
    }

    /// <summary>An upper bound of the decoded length of <paramref name="encodedLength"/> characters.</summary>
    public static int GetMaxDecodedLength(int encodedLength) => (encodedLength + 3) / 4 * 3;

    /// <summary>
    /// Decodes like the Node 20 path of iron-webcrypto: <c>-</c>/<c>_</c> map to <c>+</c>/<c>/</c>, the text is padded with
    /// <c>=</c> to a multiple of 4, then WHATWG forgiving-base64 rules apply (ASCII whitespace removed, up to two trailing
    /// <c>=</c> dropped, failure when the length is 1 mod 4 or a character is outside the alphabet, leftover bits ignored).
    /// </summary>
    /// <returns>The number of bytes written, or -1 for the <c>Invalid character</c> failure.</returns>
    public static int DecodeLenient(ReadOnlySpan<char> text, Span<byte> destination)
    {
        // Fast path: canonical unpadded base64url (what every writer produces) through the vectorized decoder.
        if (text.Length % 4 != 1 && !text.ContainsAnyExcept(UrlAlphabetChars)
            && System.Buffers.Text.Base64Url.DecodeFromChars(text, destination, out _, out int fastWritten) == OperationStatus.Done)
        {
            return fastWritten;
        }

        int padding = (4 - text.Length % 4) % 4;
        // Count the characters that survive whitespace removal (padding '=' included).
        int kept = padding;
        foreach (char c in text)
        {
            if (!IsAsciiWhitespace(c)) kept++;
        }

        // Index (in "kept" space) after which characters are trailing '=' that the forgiving decoder drops.
        int dropped = 0;
        if (kept % 4 == 0)
        {
            // Count trailing '=' over (text-without-whitespace + padding).
            int trailing = padding;
            if (trailing < 2)
            {
                for (int i = text.Length - 1; i >= 0 && trailing < 2 + 1; i--)
                {
                    char c = text[i];
                    if (IsAsciiWhitespace(c)) continue;
                    if (c != '=') break;
                    trailing++;
                }
            }
            dropped = Math.Min(trailing, 2);
        }
        int effective = kept - dropped;
        if (effective % 4 == 1) return -1;

        int acc = 0, bits = 0, di = 0, seen = 0;
        for (int i = 0; i < text.Length && seen < effective; i++)
        {
            char c = text[i];
            if (IsAsciiWhitespace(c)) continue;
            int v = DecodeChar(c);
            if (v < 0) return -1;
            seen++;
            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8)
            {
                bits -= 8;
                destination[di++] = (byte)(acc >> bits);
                acc &= (1 << bits) - 1;
            }
        }
        // Any remaining characters to consume are padding '=' (from the pad step), which are invalid here.
        if (seen < effective) return -1;
        return di;
    }

    private static readonly SearchValues<char> UrlAlphabetChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private static bool IsAsciiWhitespace(char c) => c is ' ' or '\t' or '\n' or '\f' or '\r';

    private static int DecodeChar(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '+' or '-' => 62,
        '/' or '_' => 63,
        _ => -1,
    };
}
