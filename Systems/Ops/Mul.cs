using System.Numerics;
using EcsNeural.Systems.Kernels;
using System.Numerics.Tensors;
using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;

namespace EcsNeural.Systems.Ops;

/// <summary>Element-wise y = a ⊙ b, with b broadcast like <see cref="Add"/>; da += dy ⊙ b, db += Σ_broadcast dy ⊙ a.</summary>
internal readonly struct Mul : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.Mul,
        Arity = 2,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => ShapeRules.Broadcast(inputs),
        Bprop = BroadcastBprops.Mul,
        TwiceDifferentiable = true,
        Rows = RowRule.BroadcastOperands,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("Mul", y, x),
        Sample = static (r, c, k) => new(new Node(OpCode.Mul), [new(r, c), new(r, c)]),
        Activation = null,
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
        => Broadcast.Forward(c, static (a, b, y) => TensorPrimitives.Multiply<T>(a, b, y), static (a, b, y) => TensorPrimitives.Multiply<T>(a, b, y));

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape aShape = c.InputShape(0), bShape = c.InputShape(1);
        Span<T> a = c.Input(0), b = c.Input(1), dy = c.OutputGradient;
        bool needA = c.NeedsGradient(0), needB = c.NeedsGradient(1);
        Span<T> da = needA ? c.InputGradient(0) : default, db = needB ? c.InputGradient(1) : default;
        if (aShape == bShape)
        {
            if (needA)
                TensorPrimitives.MultiplyAdd<T>(dy, b, da, da);
            if (needB)
                TensorPrimitives.MultiplyAdd<T>(dy, a, db, db);
            return;
        }
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> ai = OpContext<T>.Slice(a, i, aShape.Length), bi = OpContext<T>.Slice(b, i, bShape.Length);
            Span<T> dyi = OpContext<T>.Slice(dy, i, aShape.Length);
            if (Broadcast.IsTiledRow(aShape, bShape))
            {
                if (needA)
                    Broadcast.TiledRows<T>(dyi, bi, OpContext<T>.Slice(da, i, aShape.Length), static (dy, b, da) => TensorPrimitives.MultiplyAdd<T>(dy, b, da, da));
                if (needB)
                    Broadcast.AddColumnSums<T>(dyi, ai, T.One, OpContext<T>.Slice(db, i, bShape.Length));
                continue;
            }
            for (int r = 0; r < aShape.Rows; r++)
            {
                Span<T> aRow = ai.Slice(r * aShape.Cols, aShape.Cols), dyRow = dyi.Slice(r * aShape.Cols, aShape.Cols);
                Span<T> bRow = Broadcast.RowOf(bi, bShape, r);
                bool perColumn = bShape.Cols == aShape.Cols;
                if (needA)
                {
                    Span<T> daRow = OpContext<T>.Slice(da, i, aShape.Length).Slice(r * aShape.Cols, aShape.Cols);
                    if (perColumn)
                        TensorPrimitives.MultiplyAdd<T>(dyRow, bRow, daRow, daRow);
                    else
                        TensorPrimitives.MultiplyAdd<T>(dyRow, bRow[0], daRow, daRow);
                }
                if (needB)
                {
                    Span<T> dbRow = Broadcast.RowOf(OpContext<T>.Slice(db, i, bShape.Length), bShape, r);
                    if (perColumn)
                        TensorPrimitives.MultiplyAdd<T>(dyRow, aRow, dbRow, dbRow);
                    else
                        dbRow[0] += FixedOrderSum.Dot<T>(dyRow, aRow);
                }
            }
        }
    }
}
