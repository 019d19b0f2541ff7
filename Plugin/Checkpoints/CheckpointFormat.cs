namespace EcsNeural.Plugin.Checkpoints;

/// <summary>
/// The checkpoint file layout, version 3, little-endian. Field names (in quotes) are those a
/// <see cref="CheckpointException"/> reports.
/// <code>
/// preamble: "magic" "ECSNCKPT" (8 bytes) · u32 "version" · u64 "length" (of the whole file)
/// header:   u8 "element size" (4 float, 8 double) · i32 "instances" · i32 "node count"
///           per node n, in creation order (which is topological):
///             u8 "node n op" · f64 "node n scalar" · i32 "node n pieces" · i32 rows, i32 cols ("node n shape")
///             · u8 "node n trainable" (0 or 1) · u8 "node n input count" (≤ 3) · i32 per input "node n input k" (&lt; n)
///           i32 "loss" (node index, −1 none)
///           optimizer: u8 "optimizer kind" · f64 "learning rate" · f64 "momentum" · f64 "beta1" · f64 "beta2"
///                      · f64 "epsilon" · u8 "state tensors" (0 when saved from an inference-only graph)
///           u8 "numerics" (0 fast, 1 portable: the graph's NumericsMode)
///           i64 "optimizer steps of instance i" per instance
/// payload:  per node holding values (every Parameter node, trainable or not, and any trainable node), in node order:
///             "node n values" [instances × rows × cols]
///             then, if the node is trainable, each state tensor s: "node n state s" [instances × rows × cols]
/// u64 "checksum": XxHash64 of every byte before it
/// </code>
/// Version 3 added "numerics"; a version 2 file (read still) has none and leaves the graph's mode as it is.
/// Version 2 added the values of non-trainable parameters (state such as observation-normalisation statistics);
/// version 1 saved trainable nodes only. Hyper-parameters a kind does not use hold the values its options report
/// (SGD: momentum, β₁, β₂ 0 and ε 1e-8; momentum: β₁, β₂ 0, ε 1e-8; Adam: momentum 0), so every field is either applied
/// or checked, and loading then saving gives the same bytes.
/// </summary>
internal static class CheckpointFormat
{
    public const int Version = 3;
    /// <summary>The oldest version read: 2 differs from 3 only by the missing "numerics" byte.</summary>
    public const int OldestReadVersion = 2;
    /// <summary>The "numerics" byte (version 3 on).</summary>
    public const int NumericsLength = 1;
    public static ReadOnlySpan<byte> Magic => "ECSNCKPT"u8;
    /// <summary>Magic, version and length: what is read before anything is trusted.</summary>
    public const int PreambleLength = 8 + 4 + 8;
    /// <summary>Element size, instances and node count.</summary>
    public const int CountsLength = 1 + 4 + 4;
    /// <summary>A node without inputs: op, scalar, pieces, rows, cols, trainable, input count.</summary>
    public const int NodeFixedLength = 1 + 8 + 4 + 4 + 4 + 1 + 1;
    /// <summary>Loss index and the optimizer: kind, five hyper-parameters, state tensors.</summary>
    public const int TrailerLength = 4 + 1 + 5 * 8 + 1;
    public const int StepLength = 8;
    public const int ChecksumLength = 8;

    /// <summary>Whether a node's values are in the payload: every parameter (trainable or not) and any trainable node.</summary>
    public static bool HoldsValues(in NodeRecord node) => node.Op == Components.OpCode.Parameter || node.Trainable;

    /// <summary>Bytes of the header a graph with these nodes and instances writes (everything before the payload).</summary>
    public static long HeaderLength(ReadOnlySpan<NodeRecord> nodes, int instances)
    {
        long length = PreambleLength + CountsLength + TrailerLength + NumericsLength + (long)StepLength * instances;
        foreach (NodeRecord node in nodes)
            length += NodeFixedLength + 4L * node.Inputs.Length;
        return length;
    }

    /// <summary>Bytes of the payload: every value-holding node's values and, for trainable nodes, its state tensors.</summary>
    public static long PayloadLength(ReadOnlySpan<NodeRecord> nodes, int instances, int elementSize, int stateTensors)
    {
        long length = 0;
        foreach (NodeRecord node in nodes)
        {
            if (HoldsValues(node))
                length = checked(length + (long)node.Shape.Rows * node.Shape.Cols * instances * elementSize * (1 + (node.Trainable ? stateTensors : 0)));
        }
        return length;
    }
}
