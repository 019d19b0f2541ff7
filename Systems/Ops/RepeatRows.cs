using System.Numerics;
using System.Numerics.Tensors;
using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;

namespace EcsNeural.Systems.Ops;

/// <summary>Repeats a [1×cols] row k times (k in <see cref="Node.Pieces"/>) → [k×cols]; dx += Σ_rows dy (the adjoint of <see cref="SumRows"/>).</summary>
internal readonly struct RepeatRows : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.RepeatRows,
        Arity = 1,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => RepeatRows.Shape(inputs, node.Pieces),
        Bprop = BroadcastBprops.RepeatRows,
        TwiceDifferentiable = true,
        Rows = RowRule.Mixes,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("Tile", y, [x[0], onnx.Int64s(node.Pieces, 1)]),
        Sample = static (r, c, k) => new(new Node(OpCode.RepeatRows, 0, r), [new(1, c)]),
        Activation = null,
    };

    public static NodeShape Shape(ReadOnlySpan<NodeShape> inputs, int rows)
    {
        if (inputs[0].Rows != 1)
            throw new InvalidShapeException($"only a single row can be repeated, got {inputs[0]}");
        if (rows < 1)
            throw new InvalidShapeException($"the row count must be at least 1, got {rows}");
        return new NodeShape(rows, inputs[0].Cols);
    }

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cols = c.InputShape(0).Cols, rows = c.OutputShape.Rows;
        Span<T> x = c.Input(0), y = c.Output;
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> xi = OpContext<T>.Slice(x, i, cols), yi = OpContext<T>.Slice(y, i, rows * cols);
            Fill<T>(xi, yi);
        }
    }

    /// <summary>
    /// Fills <paramref name="rows"/> with copies of <paramref name="row"/> (its length a multiple of the row's), doubling
    /// the copied block: a few calls, not one per row. Also how a dense layer's bias and a broadcast row are laid out.
    /// </summary>
    public static void Fill<T>(ReadOnlySpan<T> row, Span<T> rows)
    {
        if (rows.IsEmpty)
            return;
        row.CopyTo(rows);
        for (int filled = row.Length; filled < rows.Length; filled *= 2)
            rows[..Math.Min(filled, rows.Length - filled)].CopyTo(rows[filled..]);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cols = c.InputShape(0).Cols, rows = c.OutputShape.Rows;
        Span<T> dx = c.InputGradient(0), dy = c.OutputGradient;
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> dxi = OpContext<T>.Slice(dx, i, cols), dyi = OpContext<T>.Slice(dy, i, rows * cols);
            for (int r = 0; r < rows; r++)
                TensorPrimitives.Add<T>(dxi, dyi.Slice(r * cols, cols), dxi);
        }
    }
}
