using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace EcsNeural.Plugin.Checkpoints;

/// <summary>
/// Writes little-endian fields straight to a stream and hashes every byte as it goes, so a checkpoint is never buffered
/// whole: tensors go from the graph's arena to the file.
/// </summary>
internal sealed class CheckpointStreamWriter(Stream stream)
{
    /// <summary>Elements written per call, so a tensor's byte count always fits a span.</summary>
    private const int ChunkElements = 1 << 20;

    private readonly XxHash64 _hash = new();

    public long Position { get; private set; }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        stream.Write(bytes);
        _hash.Append(bytes);
        Position += bytes.Length;
    }

    public void WriteByte(byte value) => Write([value]);

    public void WriteInt32(int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        Write(bytes);
    }

    public void WriteUInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        Write(bytes);
    }

    public void WriteInt64(long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        Write(bytes);
    }

    public void WriteDouble(double value) => WriteInt64(BitConverter.DoubleToInt64Bits(value));

    public void WriteTensor<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        for (int start = 0; start < values.Length; start += ChunkElements)
            Write(MemoryMarshal.AsBytes(values.Slice(start, Math.Min(ChunkElements, values.Length - start))));
    }

    /// <summary>Writes the XxHash64 of everything written so far (not hashed itself).</summary>
    public void WriteChecksum()
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, _hash.GetCurrentHashAsUInt64());
        stream.Write(bytes);
        Position += bytes.Length;
    }
}
