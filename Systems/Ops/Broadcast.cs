using System.Numerics;
using EcsNeural.Systems.Kernels;
using System.Numerics.Tensors;
using EcsNeural.Components;

namespace EcsNeural.Systems.Ops;

/// <summary>Row-by-row walking shared by the broadcasting binary operations (Add, Sub, Mul).</summary>
internal static class Broadcast
{
    /// <summary>A row-wise kernel: y = a ∘ b for equally long spans.</summary>
    public delegate void SpanKernel<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y);
    /// <summary>A row-wise kernel: y = a ∘ s for a scalar s.</summary>
    public delegate void ScalarKernel<T>(ReadOnlySpan<T> a, T s, Span<T> y);

    /// <summary>Applies the kernel to every row of every instance, picking b's row (or element) by the broadcast rule.</summary>
    public static void Forward<T>(in OpContext<T> c, SpanKernel<T> spanKernel, ScalarKernel<T> scalarKernel)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape aShape = c.InputShape(0), bShape = c.InputShape(1);
        Span<T> a = c.Input(0), b = c.Input(1), y = c.Output;
        if (aShape == bShape)
        {
            spanKernel(a, b, y);
            return;
        }
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> ai = OpContext<T>.Slice(a, i, aShape.Length), bi = OpContext<T>.Slice(b, i, bShape.Length), yi = OpContext<T>.Slice(y, i, aShape.Length);
            for (int r = 0; r < aShape.Rows; r++)
            {
                Span<T> aRow = ai.Slice(r * aShape.Cols, aShape.Cols), yRow = yi.Slice(r * aShape.Cols, aShape.Cols);
                Span<T> bRow = RowOf(bi, bShape, r);
                if (bShape.Cols == aShape.Cols)
                    spanKernel(aRow, bRow, yRow);
                else
                    scalarKernel(aRow, bRow[0], yRow);
            }
        }
    }

    /// <summary>db += sign · (g summed over the axes along which b was broadcast), g having a's shape.</summary>
    public static void ReduceInto<T>(in OpContext<T> c, Span<T> g, Span<T> db, T sign) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape aShape = c.InputShape(0), bShape = c.InputShape(1);
        if (aShape == bShape)
        {
            TensorPrimitives.MultiplyAdd<T>(g, sign, db, db);
            return;
        }
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> gi = OpContext<T>.Slice(g, i, aShape.Length), dbi = OpContext<T>.Slice(db, i, bShape.Length);
            for (int r = 0; r < aShape.Rows; r++)
            {
                Span<T> gRow = gi.Slice(r * aShape.Cols, aShape.Cols);
                Span<T> dbRow = RowOf(dbi, bShape, r);
                if (bShape.Cols == aShape.Cols)
                    TensorPrimitives.MultiplyAdd<T>(gRow, sign, dbRow, dbRow);
                else
                    dbRow[0] += sign * FixedOrderSum.Sum<T>(gRow);
            }
        }
    }

    /// <summary>The row of b (one instance) that meets row <paramref name="r"/> of a.</summary>
    public static Span<T> RowOf<T>(Span<T> bInstance, NodeShape bShape, int r)
        => bInstance.Slice(bShape.Rows == 1 ? 0 : r * bShape.Cols, bShape.Cols);
}
