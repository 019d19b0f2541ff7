using System.Buffers.Binary;
using System.IO.Compression;

namespace EcsNeural.Plugin.Data;

/// <summary>
/// Reads IDX files of unsigned bytes, plain or gzip-compressed (recognised by the gzip magic bytes, not by the name).
/// The header is validated in full: a file that is not IDX, holds another element type, has the wrong number of
/// dimensions, a negative or oversized dimension, fewer data bytes than its header declares or bytes after them, or
/// a damaged gzip stream throws <see cref="InvalidDataException"/> naming the file and what was wrong.
/// </summary>
/// <remarks>
/// Layout (big-endian): two zero bytes, the element type (0x08 = unsigned byte), the number of dimensions, one 32-bit
/// size per dimension, then the elements row-major.
/// </remarks>
public static class IdxReader
{
    private const byte UnsignedByteType = 0x08;

    /// <summary>
    /// Reads the IDX file at <paramref name="path"/>, which must have exactly <paramref name="rank"/> dimensions
    /// (3 for images, 1 for labels).
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a well-formed IDX file of unsigned bytes of that rank.</exception>
    public static IdxArray Read(string path, int rank)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        using FileStream file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[2];
        bool gzip = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
        file.Position = 0;
        using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        return Read(stream, path, rank);
    }

    private static IdxArray Read(Stream stream, string path, int rank)
    {
        Span<byte> header = stackalloc byte[4];
        ReadHeader(stream, header, path, "the 4-byte magic number");
        if (header[0] != 0 || header[1] != 0)
            throw Invalid(path, $"not an IDX file: the magic number starts with 0x{header[0]:X2} 0x{header[1]:X2}, not 0x00 0x00");
        if (header[2] != UnsignedByteType)
            throw Invalid(path, $"element type 0x{header[2]:X2} is not supported; only unsigned bytes (0x08) are");
        if (header[3] != rank)
            throw Invalid(path, $"has {header[3]} dimensions; expected {rank}");

        var dimensions = new int[rank];
        long length = 1;
        for (int d = 0; d < rank; d++)
        {
            ReadHeader(stream, header, path, $"the size of dimension {d}");
            uint size = BinaryPrimitives.ReadUInt32BigEndian(header);
            if (size > int.MaxValue)
                throw Invalid(path, $"dimension {d} has size {size}, more than {int.MaxValue}");
            dimensions[d] = (int)size;
            length *= size;
            if (length > Array.MaxLength)
                throw Invalid(path, $"the dimensions {string.Join(" × ", dimensions[..(d + 1)])} declare more than {Array.MaxLength} elements");
        }

        var data = new byte[length];
        int read = Fill(stream, data, path);
        if (read < data.Length)
            throw Invalid(path, $"truncated: the header declares {length} data bytes ({string.Join(" × ", dimensions)}) but the file ends after {read}");
        if (Fill(stream, header[..1], path) > 0)
            throw Invalid(path, $"has bytes after the {length} data bytes its header declares ({string.Join(" × ", dimensions)})");
        return new IdxArray(path, dimensions, data);
    }

    private static void ReadHeader(Stream stream, Span<byte> destination, string path, string what)
    {
        if (Fill(stream, destination, path) < destination.Length)
            throw Invalid(path, $"truncated: the file ends inside the header, in {what}");
    }

    /// <summary>Reads until <paramref name="destination"/> is full or the stream ends; a damaged gzip stream names the file.</summary>
    private static int Fill(Stream stream, Span<byte> destination, string path)
    {
        try
        {
            return stream.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"{path}: damaged gzip stream ({ex.Message}).", ex);
        }
    }

    private static InvalidDataException Invalid(string path, string what) => new($"{path}: {what}.");
}
