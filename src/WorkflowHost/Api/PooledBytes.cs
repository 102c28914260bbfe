using System.Buffers;

namespace WorkflowHost.Api;

/// <summary>A request body in an array from the shared pool; <see cref="Return"/> gives the array back.</summary>
internal sealed class PooledBytes(int capacity)
{
    private byte[] _array = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 256));

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => _array.AsSpan(0, Length);

    public ReadOnlyMemory<byte> Memory => _array.AsMemory(0, Length);

    /// <summary>Room for the next read, grown (doubling) when full.</summary>
    public Memory<byte> Free
    {
        get
        {
            if (Length == _array.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(_array.Length * 2);
                _array.AsSpan(0, Length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_array);
                _array = larger;
            }

            return _array.AsMemory(Length);
        }
    }

    public void Advance(int count) => Length += count;

    public void Return()
    {
        ArrayPool<byte>.Shared.Return(_array);
        _array = [];
        Length = 0;
    }
}
