using System.Numerics;
using EcsNeural.Systems.Kernels;
using System.Numerics.Tensors;
using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;

namespace EcsNeural.Systems.Ops;

/// <summary>Repeats a [rows×1] column k times (k in <see cref="Node.Pieces"/>) → [rows×k]; dx += Σ_cols dy (the adjoint of <see cref="SumCols"/>).</summary>
internal readonly struct RepeatCols : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.RepeatCols,
        Arity = 1,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => RepeatCols.Shape(inputs, node.Pieces),
        Bprop = BroadcastBprops.RepeatCols,
        TwiceDifferentiable = true,
        Rows = RowRule.Independent,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("Tile", y, [x[0], onnx.Int64s(1, node.Pieces)]),
        Sample = static (r, c, k) => new(new Node(OpCode.RepeatCols, 0, c), [new(r, 1)]),
        Activation = null,
    };

    public static NodeShape Shape(ReadOnlySpan<NodeShape> inputs, int cols)
    {
        if (inputs[0].Cols != 1)
            throw new InvalidShapeException($"only a single column can be repeated, got {inputs[0]}");
        if (cols < 1)
            throw new InvalidShapeException($"the column count must be at least 1, got {cols}");
        return new NodeShape(inputs[0].Rows, cols);
    }

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cols = c.OutputShape.Cols;
        Span<T> x = c.Input(0), y = c.Output;
        for (int r = 0; r < x.Length; r++)
            y.Slice(r * cols, cols).Fill(x[r]);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cols = c.OutputShape.Cols;
        Span<T> dx = c.InputGradient(0), dy = c.OutputGradient;
        for (int r = 0; r < dx.Length; r++)
            dx[r] += FixedOrderSum.Sum<T>(dy.Slice(r * cols, cols));
    }
}
