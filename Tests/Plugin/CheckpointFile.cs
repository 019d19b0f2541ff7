using System.Buffers.Binary;
using System.IO.Hashing;

namespace EcsNeural.Tests.Plugin;

/// <summary>One header field of a checkpoint file: its name as the format documents it, where it is and how wide.</summary>
internal readonly record struct CheckpointField(string Name, int Offset, int Size, bool IsFloat);

/// <summary>
/// The checkpoint layout as <c>Plugin/Checkpoints/CheckpointFormat.cs</c> documents it, read independently of the plugin's
/// reader, so tests can find, change and re-checksum any field.
/// </summary>
internal static class CheckpointFile
{
    /// <summary>Every header field of a well-formed file, in file order (the payload's tensors are not fields).</summary>
    public static List<CheckpointField> Fields(byte[] file)
    {
        var fields = new List<CheckpointField>();
        int offset = 0;
        int Add(string name, int size, bool isFloat = false)
        {
            fields.Add(new CheckpointField(name, offset, size, isFloat));
            offset += size;
            return size switch
            {
                1 => file[offset - 1],
                4 => BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(offset - 4)),
                _ => 0,
            };
        }
        Add("magic", 8);
        int version = Add("version", 4);
        Add("length", 8);
        Add("element size", 1);
        int instances = Add("instances", 4);
        int nodes = Add("node count", 4);
        for (int n = 0; n < nodes; n++)
        {
            Add($"node {n} op", 1);
            Add($"node {n} scalar", 8, isFloat: true);
            Add($"node {n} pieces", 4);
            Add($"node {n} rows", 4);
            Add($"node {n} cols", 4);
            Add($"node {n} trainable", 1);
            int inputs = Add($"node {n} input count", 1);
            for (int k = 0; k < inputs; k++)
                Add($"node {n} input {k}", 4);
        }
        Add("loss", 4);
        Add("optimizer kind", 1);
        foreach (string name in new[] { "learning rate", "momentum", "beta1", "beta2", "epsilon" })
            Add(name, 8, isFloat: true);
        Add("state tensors", 1);
        if (version >= 3)
            Add("numerics", 1);
        for (int i = 0; i < instances; i++)
            Add($"optimizer steps of instance {i}", 8);
        return fields;
    }

    public static CheckpointField Field(byte[] file, string name) => Fields(file).Single(f => f.Name == name);

    /// <summary>Where the payload starts: after the last header field.</summary>
    public static int PayloadOffset(byte[] file)
    {
        CheckpointField last = Fields(file)[^1];
        return last.Offset + last.Size;
    }

    public static void WriteInt32(byte[] file, string field, int value) => BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(Field(file, field).Offset), value);

    public static void WriteInt64(byte[] file, string field, long value) => BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(Field(file, field).Offset), value);

    public static void WriteDouble(byte[] file, string field, double value) => BinaryPrimitives.WriteDoubleLittleEndian(file.AsSpan(Field(file, field).Offset), value);

    /// <summary>
    /// Recomputes the checksum and (unless <paramref name="fixLength"/> is false) sets the declared length to the file's,
    /// so only the fields' meaning can be wrong.
    /// </summary>
    public static byte[] Sealed(byte[] file, bool fixLength = true)
    {
        if (fixLength && file.Length >= 20)
            BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(12), (ulong)file.Length);
        if (file.Length >= 8)
            BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(file.Length - 8), XxHash64.HashToUInt64(file.AsSpan(0, file.Length - 8)));
        return file;
    }
}
