using System.Numerics;
using EcsNeural.Components;
using EcsNeural.Systems.Kernels;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// Transposed-left product C = Aᵀ·B: A [k×m], B [k×n] → C [m×n] (a weight gradient xᵀ·dy written as a node);
/// dA += B·dCᵀ, dB += A·dC. Runs the same GEMM call as <see cref="MatMul"/>'s backward pass.
/// </summary>
internal static class MatMulTransposeA
{
    public static NodeShape Shape(ReadOnlySpan<NodeShape> inputs)
    {
        NodeShape a = inputs[0], b = inputs[1];
        if (a.Rows != b.Rows)
            throw new InvalidShapeException($"Aᵀ·B needs equal row counts: {a}ᵀ · {b}");
        return new NodeShape(a.Cols, b.Cols);
    }

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape a = c.InputShape(0), b = c.InputShape(1), y = c.OutputShape;
        Span<T> aAll = c.Input(0), bAll = c.Input(1), yAll = c.Output;
        for (int i = 0; i < c.Instances; i++)
            Gemm.Multiply<T>(OpContext<T>.Slice(aAll, i, a.Length), true, OpContext<T>.Slice(bAll, i, b.Length), false,
                OpContext<T>.Slice(yAll, i, y.Length), a.Cols, b.Cols, a.Rows, accumulate: false);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape a = c.InputShape(0), b = c.InputShape(1), y = c.OutputShape;
        Span<T> aAll = c.Input(0), bAll = c.Input(1), dyAll = c.OutputGradient;
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> ai = OpContext<T>.Slice(aAll, i, a.Length), bi = OpContext<T>.Slice(bAll, i, b.Length), dyi = OpContext<T>.Slice(dyAll, i, y.Length);
            if (c.NeedsGradient(0))
                Gemm.Multiply<T>(bi, false, dyi, true, OpContext<T>.Slice(c.InputGradient(0), i, a.Length), a.Rows, a.Cols, b.Cols, accumulate: true);
            if (c.NeedsGradient(1))
                Gemm.Multiply<T>(ai, false, dyi, false, OpContext<T>.Slice(c.InputGradient(1), i, b.Length), b.Rows, b.Cols, a.Cols, accumulate: true);
        }
    }
}
