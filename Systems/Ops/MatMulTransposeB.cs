using System.Numerics;
using EcsNeural.Components;
using EcsNeural.Systems.Kernels;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// Transposed-right product C = A·Bᵀ: A [m×k], B [n×k] → C [m×n] (an input gradient dy·Wᵀ written as a node);
/// dA += dC·B, dB += dCᵀ·A. Runs the same GEMM call as <see cref="MatMul"/>'s and <see cref="Dense"/>'s backward passes.
/// </summary>
internal static class MatMulTransposeB
{
    public static NodeShape Shape(ReadOnlySpan<NodeShape> inputs)
    {
        NodeShape a = inputs[0], b = inputs[1];
        if (a.Cols != b.Cols)
            throw new InvalidShapeException($"A·Bᵀ needs equal column counts: {a} · {b}ᵀ");
        return new NodeShape(a.Rows, b.Rows);
    }

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape a = c.InputShape(0), b = c.InputShape(1), y = c.OutputShape;
        Span<T> aAll = c.Input(0), bAll = c.Input(1), yAll = c.Output;
        for (int i = 0; i < c.Instances; i++)
            Gemm.Multiply<T>(OpContext<T>.Slice(aAll, i, a.Length), false, OpContext<T>.Slice(bAll, i, b.Length), true,
                OpContext<T>.Slice(yAll, i, y.Length), a.Rows, b.Rows, a.Cols, accumulate: false);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape a = c.InputShape(0), b = c.InputShape(1), y = c.OutputShape;
        Span<T> aAll = c.Input(0), bAll = c.Input(1), dyAll = c.OutputGradient;
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> ai = OpContext<T>.Slice(aAll, i, a.Length), bi = OpContext<T>.Slice(bAll, i, b.Length), dyi = OpContext<T>.Slice(dyAll, i, y.Length);
            if (c.NeedsGradient(0))
                Gemm.Multiply<T>(dyi, false, bi, false, OpContext<T>.Slice(c.InputGradient(0), i, a.Length), a.Rows, a.Cols, b.Rows, accumulate: true);
            if (c.NeedsGradient(1))
                Gemm.Multiply<T>(dyi, true, ai, false, OpContext<T>.Slice(c.InputGradient(1), i, b.Length), b.Rows, b.Cols, a.Rows, accumulate: true);
        }
    }
}
