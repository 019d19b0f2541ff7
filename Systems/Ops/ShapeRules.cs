using EcsNeural.Components;

namespace EcsNeural.Systems.Ops;

/// <summary>Shape rules shared by several operations.</summary>
internal static class ShapeRules
{
    /// <summary>Element-wise operations keep their input's shape.</summary>
    public static NodeShape SameAsInput(ReadOnlySpan<NodeShape> inputs) => inputs[0];

    /// <summary>Binary element-wise operations: b has a's shape, or broadcasts as one row, one column or one element.</summary>
    public static NodeShape Broadcast(ReadOnlySpan<NodeShape> inputs)
    {
        NodeShape a = inputs[0], b = inputs[1];
        bool rowsFit = b.Rows == a.Rows || b.Rows == 1;
        bool colsFit = b.Cols == a.Cols || b.Cols == 1;
        if (!rowsFit || !colsFit)
            throw new InvalidShapeException($"second operand {b} does not broadcast to first operand {a} (it needs {a.Rows} or 1 rows and {a.Cols} or 1 columns)");
        return a;
    }

    /// <summary>Losses compare a prediction with a target of the same shape and return a scalar.</summary>
    public static NodeShape Loss(ReadOnlySpan<NodeShape> inputs)
    {
        if (inputs[0] != inputs[1])
            throw new InvalidShapeException($"prediction {inputs[0]} and target {inputs[1]} must have the same shape");
        return NodeShape.Scalar;
    }
}
