using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace EcsNeural.Plugin.Checkpoints;

/// <summary>
/// Reads little-endian fields from a checkpoint stream up to a fixed end (the checksum's offset), hashing every byte.
/// Callers <see cref="Require"/> the bytes a field needs before reading it, so a count that reaches past the end is an
/// error naming the field before anything is allocated for it.
/// </summary>
internal sealed class CheckpointStreamReader(Stream stream, string path, long end)
{
    /// <summary>Elements read per call, so a tensor's byte count always fits a span.</summary>
    private const int ChunkElements = 1 << 20;
    private const int SkipBuffer = 1 << 16;

    private readonly XxHash64 _hash = new();

    public long Position { get; private set; }

    /// <summary>Bytes left before the end.</summary>
    public long Remaining => end - Position;

    /// <summary>XxHash64 of every byte read so far.</summary>
    public ulong Hash => _hash.GetCurrentHashAsUInt64();

    /// <summary>Throws, naming <paramref name="field"/>, unless <paramref name="bytes"/> more bytes lie before the end.</summary>
    public void Require(long bytes, string field)
    {
        if (bytes < 0 || bytes > Remaining)
            throw new CheckpointException(path, field,
                $"needs {(bytes < 0 ? "more than 2⁶³" : bytes.ToString(System.Globalization.CultureInfo.InvariantCulture))} bytes at byte {Position}, but only {Remaining} remain before byte {end}");
    }

    public byte ReadByte()
    {
        Span<byte> bytes = stackalloc byte[1];
        Read(bytes);
        return bytes[0];
    }

    public int ReadInt32()
    {
        Span<byte> bytes = stackalloc byte[4];
        Read(bytes);
        return BinaryPrimitives.ReadInt32LittleEndian(bytes);
    }

    public uint ReadUInt32()
    {
        Span<byte> bytes = stackalloc byte[4];
        Read(bytes);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    public long ReadInt64()
    {
        Span<byte> bytes = stackalloc byte[8];
        Read(bytes);
        return BinaryPrimitives.ReadInt64LittleEndian(bytes);
    }

    public double ReadDouble() => BitConverter.Int64BitsToDouble(ReadInt64());

    public void ReadTensor<T>(Span<T> destination) where T : unmanaged
    {
        for (int start = 0; start < destination.Length; start += ChunkElements)
            Read(MemoryMarshal.AsBytes(destination.Slice(start, Math.Min(ChunkElements, destination.Length - start))));
    }

    /// <summary>Reads and hashes <paramref name="bytes"/> bytes without keeping them.</summary>
    public void Skip(long bytes)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(SkipBuffer);
        try
        {
            while (bytes > 0)
            {
                int chunk = (int)Math.Min(bytes, buffer.Length);
                Read(buffer.AsSpan(0, chunk));
                bytes -= chunk;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Read(Span<byte> bytes)
    {
        if (bytes.Length > Remaining)
            throw new InvalidOperationException($"Checkpoint reader bug: a {bytes.Length}-byte read at byte {Position} was not required first.");
        try
        {
            stream.ReadExactly(bytes);
        }
        catch (EndOfStreamException ex)
        {
            throw new CheckpointException(path, "file", $"ended before byte {end} while being read (it changed meanwhile?)", ex);
        }
        _hash.Append(bytes);
        Position += bytes.Length;
    }
}
