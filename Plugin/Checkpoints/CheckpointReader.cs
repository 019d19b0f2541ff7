using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Numerics;
using System.Numerics.Tensors;
using EcsNeural.Components;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Kernels;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Plugin.Checkpoints;

/// <summary>
/// Reads a checkpoint stream in two passes and touches no graph. The first checks the preamble and the checksum of the
/// whole file (a corrupted file is reported as corrupted, not as a wrong architecture); the second parses every field,
/// checks it against the file's length and the target graph's shape before allocating anything for it, stages the
/// tensors and checks they are finite.
/// </summary>
internal static class CheckpointReader
{
    private const int HashBuffer = 1 << 16;

    public static CheckpointContents<T> Read<T>(string path, Stream file, ComputeGraph<T> graph, GraphTable table, CheckpointBatch batch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (long length, ulong checksum, uint version) = Verify(path, file);
        file.Position = 0;
        var r = new CheckpointStreamReader(file, path, length - CheckpointFormat.ChecksumLength);
        r.Require(CheckpointFormat.PreambleLength, "length");
        r.Skip(CheckpointFormat.PreambleLength);   // verified above; hashed again
        CheckpointContents<T> contents = ReadValidated(path, r, graph, table, batch, version);
        if (r.Hash != checksum)
            throw new CheckpointException(path, "file", "changed while being read (its bytes no longer hash to the checksum)");
        return contents;
    }

    /// <summary>Magic, version, declared length and checksum; returns the length, the stored checksum and the version.</summary>
    private static (long Length, ulong Checksum, uint Version) Verify(string path, Stream file)
    {
        long actual = file.Length;
        Span<byte> preamble = stackalloc byte[CheckpointFormat.PreambleLength];
        int read = file.ReadAtLeast(preamble, preamble.Length, throwOnEndOfStream: false);
        int magicBytes = Math.Min(read, CheckpointFormat.Magic.Length);
        if (!preamble[..magicBytes].SequenceEqual(CheckpointFormat.Magic[..magicBytes]))
            throw new CheckpointException(path, "magic", "not an EcsNeural checkpoint (bad magic)");
        if (read < CheckpointFormat.PreambleLength)
            throw new CheckpointException(path, "length", $"truncated at byte {read} of at least {CheckpointFormat.PreambleLength}");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(preamble[8..]);
        if (version is < CheckpointFormat.OldestReadVersion or > CheckpointFormat.Version)
            throw new CheckpointException(path, "version",
                $"expected version {CheckpointFormat.OldestReadVersion}–{CheckpointFormat.Version}, file has {version}");
        ulong declared = BinaryPrimitives.ReadUInt64LittleEndian(preamble[12..]);
        if ((ulong)actual < declared)
            throw new CheckpointException(path, "length", $"truncated at byte {actual} of {declared}");
        if ((ulong)actual > declared)
            throw new CheckpointException(path, "length", $"{(ulong)actual - declared} unexpected bytes after the declared end at byte {declared}");
        long body = actual - CheckpointFormat.ChecksumLength;
        if (body < CheckpointFormat.PreambleLength)
            throw new CheckpointException(path, "length", $"declared length {declared} is too short for a checkpoint");

        var hash = new XxHash64();
        hash.Append(preamble);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(HashBuffer);
        try
        {
            for (long position = CheckpointFormat.PreambleLength; position < body;)
            {
                int chunk = (int)Math.Min(buffer.Length, body - position);
                file.ReadExactly(buffer, 0, chunk);
                hash.Append(buffer.AsSpan(0, chunk));
                position += chunk;
            }
            file.ReadExactly(buffer, 0, CheckpointFormat.ChecksumLength);
            ulong stored = BinaryPrimitives.ReadUInt64LittleEndian(buffer);
            ulong computed = hash.GetCurrentHashAsUInt64();
            if (stored != computed)
                throw new CheckpointException(path, "checksum", $"mismatch (file says {stored:x16}, contents hash to {computed:x16}): the file is corrupted");
            return (actual, stored, version);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static CheckpointContents<T> ReadValidated<T>(string path, CheckpointStreamReader r, ComputeGraph<T> graph, GraphTable table, CheckpointBatch batch,
        uint version) where T : unmanaged, IFloatingPointIeee754<T>
    {
        r.Require(CheckpointFormat.CountsLength, "node count");
        int elementSize = r.ReadByte();
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (elementSize != size)
            throw new CheckpointException(path, "element size", $"element type mismatch: checkpoint holds {elementSize}-byte values, graph {typeof(T).Name} ({size} bytes)");
        int instances = r.ReadInt32();
        if (instances != graph.InstanceCount)
            throw new CheckpointException(path, "instances", $"instance count mismatch: checkpoint has {instances}, graph has {graph.InstanceCount}");
        int count = r.ReadInt32();
        ReadNodes(path, r, table, count, batch == CheckpointBatch.Any);
        r.Require(CheckpointFormat.TrailerLength, "optimizer");
        int loss = r.ReadInt32();
        if (loss < -1 || loss >= count)
            throw new CheckpointException(path, "loss", $"node index {loss} is outside [−1, {count})");
        if (table.Loss >= 0 && loss != table.Loss)
            throw new CheckpointException(path, "loss", $"architecture mismatch: the checkpoint's loss is node {loss}, the graph's is node {table.Loss}");
        OptimizerOptions optimizer = ReadOptimizer(path, r);
        int stateTensors = r.ReadByte();
        if (stateTensors != 0 && stateTensors != optimizer.StateTensors)
            throw new CheckpointException(path, "state tensors", $"{stateTensors}, but the {optimizer.Kind} optimizer keeps {optimizer.StateTensors}");
        NumericsMode? numerics = null;
        if (version >= 3)
        {
            r.Require(CheckpointFormat.NumericsLength, "numerics");
            var mode = (NumericsMode)r.ReadByte();
            if (!Enum.IsDefined(mode))
                throw new CheckpointException(path, "numerics", $"unknown numerics mode {(int)mode}");
            numerics = mode;
        }
        r.Require((long)CheckpointFormat.StepLength * instances, "optimizer steps");
        var steps = new long[instances];
        for (int i = 0; i < instances; i++)
        {
            steps[i] = r.ReadInt64();
            if (steps[i] < 0)
                throw new CheckpointException(path, $"optimizer steps of instance {i}", $"{steps[i]} is negative");
        }
        long payload = CheckpointFormat.PayloadLength(table.Records, instances, elementSize, stateTensors);
        if (r.Remaining != payload)
            throw new CheckpointException(path, "payload", $"holds {r.Remaining} bytes, the header describes {payload}");
        (T[]?[] values, T[][]?[] states) = ReadPayload(path, r, graph, table, optimizer, stateTensors);
        return new CheckpointContents<T>(optimizer, stateTensors, steps, values, states, numerics);
    }

    /// <summary>
    /// Every node record, each compared with the graph's node at its position as it is read; records past the graph's end
    /// (a target and loss the graph leaves out) are checked for consistency and must hold no values. Nothing is kept.
    /// </summary>
    private static void ReadNodes(string path, CheckpointStreamReader r, GraphTable table, int count, bool anyBatch)
    {
        if (count < 1)
            throw new CheckpointException(path, "node count", $"{count}: a checkpoint holds at least one node");
        if (count > r.Remaining / CheckpointFormat.NodeFixedLength)
            throw new CheckpointException(path, "node count",
                $"{count} nodes need at least {(long)count * CheckpointFormat.NodeFixedLength} bytes, the file has {r.Remaining} left");
        if (count < table.Records.Length)
            throw new CheckpointException(path, "node count", $"architecture mismatch: checkpoint has {count} nodes, graph has {table.Records.Length}");
        Span<int> inputs = stackalloc int[NodeInputs.MaxArity];
        for (int n = 0; n < count; n++)
        {
            string field = $"node {n}";
            r.Require(CheckpointFormat.NodeFixedLength, field);
            var op = (OpCode)r.ReadByte();
            double scalar = r.ReadDouble();
            int pieces = r.ReadInt32();
            var shape = new NodeShape(r.ReadInt32(), r.ReadInt32());
            byte trainable = r.ReadByte();
            int inputCount = r.ReadByte();
            if (!Enum.IsDefined(op))
                throw new CheckpointException(path, $"{field} op", $"unknown op code {(int)op}");
            if (shape.Rows < 1 || shape.Cols < 1)
                throw new CheckpointException(path, $"{field} shape", $"{shape.Rows}×{shape.Cols}: rows and columns must be at least 1");
            if (trainable > 1)
                throw new CheckpointException(path, $"{field} trainable", $"{trainable} is not 0 or 1");
            if (inputCount > NodeInputs.MaxArity)
                throw new CheckpointException(path, $"{field} input count", $"{inputCount} is more than the {NodeInputs.MaxArity} any op takes");
            r.Require(4L * inputCount, $"{field} inputs");
            for (int k = 0; k < inputCount; k++)
            {
                inputs[k] = r.ReadInt32();
                if (inputs[k] < 0 || inputs[k] >= n)
                    throw new CheckpointException(path, $"{field} input {k}", $"node index {inputs[k]} is not a node before {n}");
            }
            var record = new NodeRecord(op, scalar, pieces, shape, trainable == 1, inputs[..inputCount].ToArray());
            if (n < table.Records.Length)
            {
                string? difference = record.DifferenceFrom(table.Records[n], anyBatch);
                if (difference is not null)
                    throw new CheckpointException(path, field, $"architecture mismatch ({table.Records[n].Op}, {table.Nodes[n]}): {difference}");
            }
            else if (CheckpointFormat.HoldsValues(record))
            {
                throw new CheckpointException(path, field,
                    $"architecture mismatch: the graph ends at node {table.Records.Length}, but the checkpoint's node {n} ({op}) holds parameters");
            }
        }
    }

    /// <summary>The optimizer's kind and hyper-parameters, each in range; those the kind does not use must hold the values its options report.</summary>
    private static OptimizerOptions ReadOptimizer(string path, CheckpointStreamReader r)
    {
        var kind = (OptimizerKind)r.ReadByte();
        if (!Enum.IsDefined(kind))
            throw new CheckpointException(path, "optimizer kind", $"unknown optimizer kind {(int)kind}");
        double learningRate = Positive(path, "learning rate", r.ReadDouble());
        double momentum = Fraction(path, "momentum", r.ReadDouble());
        double beta1 = Fraction(path, "beta1", r.ReadDouble());
        double beta2 = Fraction(path, "beta2", r.ReadDouble());
        double epsilon = Positive(path, "epsilon", r.ReadDouble());
        OptimizerOptions optimizer = kind switch
        {
            OptimizerKind.Sgd => OptimizerOptions.Sgd(learningRate),
            OptimizerKind.Momentum => OptimizerOptions.Momentum(learningRate, momentum),
            _ => OptimizerOptions.Adam(learningRate, beta1, beta2, epsilon),
        };
        Unused(path, "momentum", momentum, optimizer.MomentumCoefficient, kind);
        Unused(path, "beta1", beta1, optimizer.Beta1, kind);
        Unused(path, "beta2", beta2, optimizer.Beta2, kind);
        Unused(path, "epsilon", epsilon, optimizer.Epsilon, kind);
        return optimizer;
    }

    private static double Positive(string path, string field, double value)
        => value > 0 && double.IsFinite(value) ? value : throw new CheckpointException(path, field, $"{value} is not a positive finite number");

    private static double Fraction(string path, string field, double value)
        => value >= 0 && value < 1 ? value : throw new CheckpointException(path, field, $"{value} is not in [0, 1)");

    private static void Unused(string path, string field, double value, double used, OptimizerKind kind)
    {
        if (BitConverter.DoubleToInt64Bits(value) != BitConverter.DoubleToInt64Bits(used))
            throw new CheckpointException(path, field, $"{value}, but the {kind} optimizer does not use it and saves {used}");
    }

    /// <summary>Stages every value and (when the graph trains) state tensor; each must be finite, Adam's second moments ≥ 0.</summary>
    private static (T[]?[] Values, T[][]?[] States) ReadPayload<T>(string path, CheckpointStreamReader r, ComputeGraph<T> graph, GraphTable table,
        OptimizerOptions optimizer, int stateTensors) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int instances = graph.InstanceCount;
        var values = new T[]?[table.Records.Length];
        var states = new T[][]?[table.Records.Length];
        for (int n = 0; n < table.Records.Length; n++)
        {
            NodeRecord node = table.Records[n];
            if (!CheckpointFormat.HoldsValues(node))
                continue;
            int length = checked(node.Shape.Rows * node.Shape.Cols * instances);   // the graph's own arena holds it
            values[n] = ReadFinite<T>(path, r, $"node {n} values", length, instances, nonNegative: false);
            if (!node.Trainable || stateTensors == 0)
                continue;
            if (graph.InferenceOnly)
            {
                r.Skip((long)length * stateTensors * System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
                continue;
            }
            states[n] = new T[stateTensors][];
            for (int s = 0; s < stateTensors; s++)
                states[n]![s] = ReadFinite<T>(path, r, $"node {n} state {s}", length, instances, nonNegative: optimizer.Kind == OptimizerKind.Adam && s == 1);
        }
        return (values, states);
    }

    private static T[] ReadFinite<T>(string path, CheckpointStreamReader r, string field, int length, int instances, bool nonNegative)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var tensor = new T[length];
        r.ReadTensor<T>(tensor);
        if (length == 0 || (TensorPrimitives.IsFiniteAll<T>(tensor) && (!nonNegative || TensorPrimitives.Min<T>(tensor) >= T.Zero)))
            return tensor;
        int bad = Array.FindIndex(tensor, v => !T.IsFinite(v) || (nonNegative && v < T.Zero));
        int perInstance = length / instances;
        throw new CheckpointException(path, field, $"instance {bad / perInstance}, element {bad % perInstance} is {tensor[bad]}; "
            + (nonNegative ? "a second moment is finite and ≥ 0" : "parameters and optimizer state are finite"));
    }
}
