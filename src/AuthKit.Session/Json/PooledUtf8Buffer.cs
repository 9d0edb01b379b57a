using System.Buffers;

namespace AuthKit.Session.Json;

/// <summary>A growable byte buffer on <see cref="ArrayPool{T}"/>; dispose to return the array (contents are cleared).</summary>
internal sealed class PooledUtf8Buffer : IDisposable
{
    private byte[] _buffer;
    private int _length;

    public PooledUtf8Buffer(int initialCapacity = 2048) => _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public Span<byte> GetSpan(int sizeHint)
    {
        if (_buffer.Length - _length < sizeHint) Grow(sizeHint);
        return _buffer.AsSpan(_length);
    }

    public void Advance(int count) => _length += count;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _length += bytes.Length;
    }

    public void Write(byte b)
    {
        if (_length == _buffer.Length) Grow(1);
        _buffer[_length++] = b;
    }

    private void Grow(int sizeHint)
    {
        int newSize = Math.Max(_buffer.Length * 2, _length + sizeHint);
        byte[] next = ArrayPool<byte>.Shared.Rent(newSize);
        _buffer.AsSpan(0, _length).CopyTo(next);
        ReturnBuffer(_buffer, _length);
        _buffer = next;
    }

    public void Dispose()
    {
        if (_buffer.Length == 0) return;
        ReturnBuffer(_buffer, _length);
        _buffer = [];
        _length = 0;
    }

    // Plaintext of sessions holds tokens: clear before handing the array back to the pool.
    private static void ReturnBuffer(byte[] buffer, int used)
    {
        buffer.AsSpan(0, used).Clear();
        ArrayPool<byte>.Shared.Return(buffer);
    }
}
