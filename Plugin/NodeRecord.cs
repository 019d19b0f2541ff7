using EcsNeural.Components;

namespace EcsNeural.Plugin;

/// <summary>One node as checkpoints and ONNX export see it: operation, attributes, shape, parameter flag and input positions.</summary>
internal readonly record struct NodeRecord(OpCode Op, double Scalar, int Pieces, NodeShape Shape, bool Trainable, int[] Inputs)
{
    /// <summary>The first difference from <paramref name="graph"/>'s node, or null when they match.</summary>
    public string? DifferenceFrom(in NodeRecord graph)
    {
        if (Op != graph.Op)
            return $"checkpoint op {Op}, graph {graph.Op}";
        if (Shape != graph.Shape)
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
