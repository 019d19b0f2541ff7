using System.Numerics;
using EcsNeural.Components;
using EcsNeural.Systems.Kernels;

namespace EcsNeural.Systems.Ops;

/// <summary>Matrix product C = A·B: A [m×k], B [k×n] → C [m×n]; dA += dC·Bᵀ, dB += Aᵀ·dC.</summary>
internal static class MatMul
{
    public static NodeShape Shape(ReadOnlySpan<NodeShape> inputs)
    {
        NodeShape a = inputs[0], b = inputs[1];
        if (a.Cols != b.Rows)
            throw new InvalidShapeException($"inner dimensions differ: {a} · {b}");
        return new NodeShape(a.Rows, b.Cols);
    }

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape a = c.InputShape(0), b = c.InputShape(1), y = c.OutputShape;
        Span<T> aAll = c.Input(0), bAll = c.Input(1), yAll = c.Output;
        for (int i = 0; i < c.Instances; i++)
            Gemm.Multiply<T>(OpContext<T>.Slice(aAll, i, a.Length), false, OpContext<T>.Slice(bAll, i, b.Length), false,
                OpContext<T>.Slice(yAll, i, y.Length), a.Rows, b.Cols, a.Cols, accumulate: false);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape a = c.InputShape(0), b = c.InputShape(1), y = c.OutputShape;
        Span<T> aAll = c.Input(0), bAll = c.Input(1), dyAll = c.OutputGradient;
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> ai = OpContext<T>.Slice(aAll, i, a.Length), bi = OpContext<T>.Slice(bAll, i, b.Length), dyi = OpContext<T>.Slice(dyAll, i, y.Length);
            if (c.NeedsGradient(0))
                Gemm.Multiply<T>(dyi, false, bi, true, OpContext<T>.Slice(c.InputGradient(0), i, a.Length), a.Rows, a.Cols, b.Cols, accumulate: true);
            if (c.NeedsGradient(1))
                Gemm.Multiply<T>(ai, true, dyi, false, OpContext<T>.Slice(c.InputGradient(1), i, b.Length), b.Rows, b.Cols, a.Rows, accumulate: true);
        }
    }
}
