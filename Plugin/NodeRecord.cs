using EcsNeural.Components;

namespace EcsNeural.Plugin;

/// <summary>One node as checkpoints and ONNX export see it: operation, attributes, shape, parameter flag and input positions.</summary>
internal readonly record struct NodeRecord(OpCode Op, double Scalar, int Pieces, NodeShape Shape, bool Trainable, int[] Inputs)
{
    /// <summary>
    /// The first difference from <paramref name="graph"/>'s node, or null when they match. With
    /// <paramref name="anyBatch"/> the batch may differ: an input's rows are the batch the graph was built for, and an
    /// operation's shape follows from its inputs, so only parameters must have the same shape and inputs the same width.
    /// </summary>
    public string? DifferenceFrom(in NodeRecord graph, bool anyBatch)
    {
        if (Op != graph.Op)
            return $"checkpoint op {Op}, graph {graph.Op}";
        bool differs = !anyBatch ? Shape != graph.Shape : Op switch
        {
            OpCode.Parameter => Shape != graph.Shape,
            OpCode.Input => Shape.Cols != graph.Shape.Cols,
            _ => false,
        };
        if (differs)
            return $"checkpoint shape {Shape.Rows}×{Shape.Cols}, graph {graph.Shape.Rows}×{graph.Shape.Cols}";
        if (BitConverter.DoubleToInt64Bits(Scalar) != BitConverter.DoubleToInt64Bits(graph.Scalar) || Pieces != graph.Pieces)
            return $"checkpoint attributes (scalar {Scalar}, pieces {Pieces}), graph (scalar {graph.Scalar}, pieces {graph.Pieces})";
        if (Trainable != graph.Trainable)
            return $"checkpoint {(Trainable ? "trainable" : "constant")}, graph {(graph.Trainable ? "trainable" : "constant")}";
        if (!Inputs.AsSpan().SequenceEqual(graph.Inputs))
            return $"checkpoint inputs [{string.Join(", ", Inputs)}], graph [{string.Join(", ", graph.Inputs)}]";
        return null;
    }
}
