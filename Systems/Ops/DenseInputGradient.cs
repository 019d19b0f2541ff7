using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EcsNeural.Components;
using EcsNeural.Systems.Kernels;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// Dense's input gradient as a node: dx = dy·Wᵀ, dy [batch×out], W [in×out] → [batch×in]. Its forward pass runs the kernels
/// <see cref="Dense"/>'s backward pass runs for dx (per-sample lane-summed dot products for small batches, a GEMM from
/// <see cref="DenseKernels.GemmBatch"/> samples on), so Dense's symbolic gradient rounds exactly like its numeric one.
/// Its backward pass is <see cref="OpCode.MatMulTransposeB"/>'s (<see cref="TransposedMatMul"/>): the same product.
/// </summary>
internal static class DenseInputGradient
{
    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape dy = c.InputShape(0), w = c.InputShape(1);
        int batch = dy.Rows, outDim = dy.Cols, inDim = w.Rows;
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> dyi = OpContext<T>.Slice(c.Input(0), i, dy.Length), wi = OpContext<T>.Slice(c.Input(1), i, w.Length);
            Span<T> dxi = OpContext<T>.Slice(c.Output, i, batch * inDim);
            if (batch >= DenseKernels.GemmBatch)
            {
                Gemm.Multiply<T>(dyi, false, wi, true, dxi, batch, inDim, outDim, accumulate: false);
                continue;
            }
            ref T dy0 = ref MemoryMarshal.GetReference(dyi), w0 = ref MemoryMarshal.GetReference(wi);
            for (int s = 0; s < batch; s++)
                for (int p = 0; p < inDim; p++)
                    dxi[s * inDim + p] = DenseRowKernels.Dot(ref Unsafe.Add(ref dy0, s * outDim), ref Unsafe.Add(ref w0, p * outDim), outDim);
        }
    }
}
