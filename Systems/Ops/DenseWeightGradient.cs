using System.Numerics;
using EcsNeural.Components;
using EcsNeural.Systems.Kernels;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// Dense's weight gradient as a node: dW = xᵀ·dy, x [batch×in], dy [batch×out] → [in×out]. Its forward pass is
/// <see cref="DenseKernels.WeightGradient"/>, the arithmetic <see cref="Dense"/>'s backward pass runs for dW, so Dense's
/// symbolic gradient rounds exactly like its numeric one.
/// Its backward pass is <see cref="OpCode.MatMulTransposeA"/>'s (<see cref="TransposedMatMul"/>): the same product.
/// </summary>
internal readonly struct DenseWeightGradient : IOperation
{
    /// <inheritdoc/>
    /// <remarks>Mathematically MatMulTransposeA: only the kernel (and so the rounding) differs.</remarks>
    public static OpDescription Description { get; } = MatMulTransposeA.Description with
    {
        Op = OpCode.DenseWeightGradient,
        Sample = static (r, c, k) => new(new Node(OpCode.DenseWeightGradient), [new(r, c), new(r, k)]),
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape x = c.InputShape(0), dy = c.InputShape(1);
        DenseKernels.WeightGradient<T>(c.Input(0), c.Input(1), c.Output, c.Instances, x.Rows, x.Cols, dy.Cols, c.Numerics);
    }

    /// <summary>The backward pass of the transposed product it computes.</summary>
    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
        => TransposedMatMul.Backward(c, transposeA: true);
}
