using System.Numerics;
using EcsNeural.Components;
using EcsNeural.Systems.Kernels;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// Affine layer y = x·W + b (per sample, Wᵀx + b): x [batch×in], W [in×out], b [1×out] → y [batch×out].
/// Backward: dx += dy·Wᵀ, dW += xᵀ·dy, db += Σ_batch dy.
/// </summary>
internal static class Dense
{
    public static NodeShape Shape(ReadOnlySpan<NodeShape> inputs)
    {
        NodeShape x = inputs[0], w = inputs[1], b = inputs[2];
        if (w.Rows != x.Cols)
            throw new InvalidShapeException($"weights {w} need {x.Cols} rows to match input {x}");
        if (b != new NodeShape(1, w.Cols))
            throw new InvalidShapeException($"bias {b} must be [1×{w.Cols}] to match weights {w}");
        return new NodeShape(x.Rows, w.Cols);
    }

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape x = c.InputShape(0), w = c.InputShape(1);
        DenseKernels.Forward<T>(c.Input(0), c.Input(1), c.Input(2), c.Output, c.Instances, x.Rows, x.Cols, w.Cols);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape x = c.InputShape(0), w = c.InputShape(1);
        int batch = x.Rows, inDim = x.Cols, outDim = w.Cols;
        if (c.NeedsGradient(0))
        {
            // The kernel overwrites dx, but x may feed several nodes whose gradients must add up.
            Span<T> dx = c.InputGradient(0), wAll = c.Input(1), dy = c.OutputGradient;
            for (int i = 0; i < c.Instances; i++)
                Gemm.Multiply<T>(OpContext<T>.Slice(dy, i, batch * outDim), false, OpContext<T>.Slice(wAll, i, w.Length), true,
                    OpContext<T>.Slice(dx, i, x.Length), batch, inDim, outDim, accumulate: true);
        }
        if (c.NeedsGradient(1) || c.NeedsGradient(2))
            DenseKernels.Backward<T>(c.Input(0), c.Input(1), c.OutputGradient, Span<T>.Empty, c.InputGradient(1), c.InputGradient(2),
                c.Instances, batch, inDim, outDim, accumulate: true);
    }
}
