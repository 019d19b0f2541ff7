using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EcsNeural.Components;
using EcsNeural.Systems.Kernels;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// Dense's weight gradient as a node: dW = xᵀ·dy, x [batch×in], dy [batch×out] → [in×out]. Its forward pass runs the kernels
/// <see cref="Dense"/>'s backward pass runs for dW (per sample, a product then fused multiply-adds into each row, for small
/// batches; a GEMM from <see cref="DenseKernels.GemmBatch"/> samples on), so Dense's symbolic gradient rounds exactly like
/// its numeric one. Its backward pass is <see cref="OpCode.MatMulTransposeA"/>'s (<see cref="TransposedMatMul"/>): the same product.
/// </summary>
internal static class DenseWeightGradient
{
    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape x = c.InputShape(0), dy = c.InputShape(1);
        int batch = x.Rows, inDim = x.Cols, outDim = dy.Cols;
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> xi = OpContext<T>.Slice(c.Input(0), i, x.Length), dyi = OpContext<T>.Slice(c.Input(1), i, dy.Length);
            Span<T> dwi = OpContext<T>.Slice(c.Output, i, inDim * outDim);
            if (batch >= DenseKernels.GemmBatch)
            {
                Gemm.Multiply<T>(xi, true, dyi, false, dwi, inDim, outDim, batch, accumulate: false);
                continue;
            }
            if (batch == 0)
                dwi.Clear();
            ref T x0 = ref MemoryMarshal.GetReference(xi), dy0 = ref MemoryMarshal.GetReference(dyi), dw0 = ref MemoryMarshal.GetReference(dwi);
            for (int s = 0; s < batch; s++)
                for (int p = 0; p < inDim; p++)
                    DenseRowKernels.Axpy(Unsafe.Add(ref x0, s * inDim + p), ref Unsafe.Add(ref dy0, s * outDim), ref Unsafe.Add(ref dw0, p * outDim),
                        outDim, add: s > 0);
        }
    }
}
