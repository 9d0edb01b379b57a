namespace AuthKit.Session.Tests.TestSupport;

/// <summary>Hands out recorded random bytes in order, like oracle.mjs's ORACLE_RANDOM_HEX.</summary>
internal sealed class FixedRandom(byte[] pool)
{
    private int _offset;

    public int Consumed => _offset;

    public void Fill(Span<byte> destination)
    {
        if (_offset + destination.Length > pool.Length) throw new InvalidOperationException("recorded randomness exhausted");
        pool.AsSpan(_offset, destination.Length).CopyTo(destination);
        _offset += destination.Length;
    }
}
