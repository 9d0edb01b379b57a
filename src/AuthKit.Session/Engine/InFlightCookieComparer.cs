namespace AuthKit.Session;

/// <summary>
/// Ordinal equality of cookie values; the hash covers the length and the last <see cref="TailLength"/> characters
/// only (randomized per process by <see cref="HashCode"/>), so joining an in-flight resolution costs no pass over a
/// ~2 KB cookie. A sealed cookie ends in its HMAC, so genuine cookies spread evenly; cookies forged to share a tail
/// fail their unseal inline (before the first await) and leave the map at once, so they can never pile up in a
/// bucket beyond the number of resolutions running at the same moment.
/// </summary>
internal sealed class InFlightCookieComparer : IEqualityComparer<string>
{
    private const int TailLength = 64;

    public static readonly InFlightCookieComparer Instance = new();

    public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

    public int GetHashCode(string obj)
    {
        var hash = new HashCode();
        hash.Add(obj.Length);
        hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(obj.AsSpan(Math.Max(0, obj.Length - TailLength))));
        return hash.ToHashCode();
    }
}
