using System.Buffers.Binary;
using System.IO.Compression;

namespace EcsNeural.Tests.Fashion;

/// <summary>Writes small IDX files (plain or gzip'd, well-formed or deliberately broken) into a fresh temporary folder.</summary>
internal sealed class IdxFiles : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("idx-tests-").FullName;

    /// <summary>The bytes of an IDX file: header (magic 0 0 type rank, big-endian sizes) then <paramref name="data"/>.</summary>
    public static byte[] Idx(byte type, int[] dimensions, byte[] data)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + data.Length];
        bytes[2] = type;
        bytes[3] = (byte)dimensions.Length;
        for (int d = 0; d < dimensions.Length; d++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dimensions[d]);
        data.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }

    public static byte[] Gzip(byte[] bytes)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Optimal))
            gzip.Write(bytes);
        return memory.ToArray();
    }

    public string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
