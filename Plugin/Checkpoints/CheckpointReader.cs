using System.Buffers.Binary;
using System.IO.Hashing;
using EcsNeural.Components;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Plugin.Checkpoints;

/// <summary>Parses and verifies checkpoint bytes: magic, version, length, checksum, then the header. Touches no graph.</summary>
internal static class CheckpointReader
{
    public static CheckpointContents Read(string path, byte[] file)
    {
        int magicBytes = Math.Min(file.Length, CheckpointFormat.Magic.Length);
        if (!file.AsSpan(0, magicBytes).SequenceEqual(CheckpointFormat.Magic[..magicBytes]))
            throw new CheckpointException(path, "not an EcsNeural checkpoint (bad magic)");
        if (file.Length < CheckpointFormat.PreambleLength)
            throw new CheckpointException(path, $"truncated at byte {file.Length} of at least {CheckpointFormat.PreambleLength}");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(8));
        if (version != CheckpointFormat.Version)
            throw new CheckpointException(path, $"expected version {CheckpointFormat.Version}, file has {version}");
        ulong declared = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(12));
        if ((ulong)file.Length < declared)
            throw new CheckpointException(path, $"truncated at byte {file.Length} of {declared}");
        if ((ulong)file.Length > declared)
            throw new CheckpointException(path, $"{(ulong)file.Length - declared} unexpected bytes after the declared end at byte {declared}");
        int body = file.Length - CheckpointFormat.ChecksumLength;
        if (body < CheckpointFormat.PreambleLength)
            throw new CheckpointException(path, $"declared length {declared} is too short for a checkpoint");
        ulong stored = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(body));
        ulong actual = XxHash64.HashToUInt64(file.AsSpan(0, body));
        if (stored != actual)
            throw new CheckpointException(path, $"checksum mismatch (file says {stored:x16}, contents hash to {actual:x16}): the file is corrupted");
        try
        {
            return ReadHeader(path, file, body);
        }
        catch (Exception ex) when (ex is EndOfStreamException or ArgumentOutOfRangeException)
        {
            throw new CheckpointException(path, $"malformed header: {ex.Message}", ex);
        }
    }

    private static CheckpointContents ReadHeader(string path, byte[] file, int body)
    {
        using var r = new BinaryReader(new MemoryStream(file, CheckpointFormat.PreambleLength, body - CheckpointFormat.PreambleLength));
        int elementSize = r.ReadByte();
        int instances = r.ReadInt32();
        int count = r.ReadInt32();
        if (instances < 0 || count < 0 || count > body)
            throw new CheckpointException(path, $"malformed header: {instances} instances, {count} nodes");
        var nodes = new NodeRecord[count];
        for (int n = 0; n < count; n++)
        {
            var op = (OpCode)r.ReadByte();
            double scalar = r.ReadDouble();
            int pieces = r.ReadInt32();
            var shape = new NodeShape(r.ReadInt32(), r.ReadInt32());
            bool trainable = r.ReadByte() != 0;
            var inputs = new int[r.ReadByte()];
            for (int k = 0; k < inputs.Length; k++)
                inputs[k] = r.ReadInt32();
            nodes[n] = new NodeRecord(op, scalar, pieces, shape, trainable, inputs);
        }
        int loss = r.ReadInt32();
        var kind = (OptimizerKind)r.ReadByte();
        double learningRate = r.ReadDouble(), momentum = r.ReadDouble(), beta1 = r.ReadDouble(), beta2 = r.ReadDouble(), epsilon = r.ReadDouble();
        int stateTensors = r.ReadByte();
        OptimizerOptions optimizer;
        try
        {
            optimizer = kind switch
            {
                OptimizerKind.Sgd => OptimizerOptions.Sgd(learningRate),
                OptimizerKind.Momentum => OptimizerOptions.Momentum(learningRate, momentum),
                OptimizerKind.Adam => OptimizerOptions.Adam(learningRate, beta1, beta2, epsilon),
                _ => throw new CheckpointException(path, $"unknown optimizer kind {(int)kind}"),
            };
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new CheckpointException(path, $"invalid optimizer hyper-parameters: {ex.Message}", ex);
        }
        if (stateTensors != 0 && stateTensors != optimizer.StateTensors)
            throw new CheckpointException(path, $"{stateTensors} optimizer state tensors for a {kind} optimizer");
        var steps = new long[instances];
        for (int i = 0; i < instances; i++)
            steps[i] = r.ReadInt64();
        int payloadOffset = CheckpointFormat.PreambleLength + (int)r.BaseStream.Position;
        long payload = 0;
        foreach (NodeRecord node in nodes)
        {
            if (node.Trainable)
                payload += (long)node.Shape.Length * instances * elementSize * (1 + stateTensors);
        }
        if (payloadOffset + payload != body)
            throw new CheckpointException(path, $"payload holds {body - payloadOffset} bytes, the header describes {payload}");
        return new CheckpointContents(elementSize, instances, nodes, loss, optimizer, stateTensors, steps, file, payloadOffset);
    }
}
