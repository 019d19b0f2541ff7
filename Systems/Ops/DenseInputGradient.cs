using System.Numerics;
using EcsNeural.Components;
using EcsNeural.Systems.Kernels;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// Dense's input gradient as a node: dx = dy·Wᵀ, dy [batch×out], W [in×out] → [batch×in]. Its forward pass is
/// <see cref="DenseKernels.InputGradient"/>, the arithmetic <see cref="Dense"/>'s backward pass runs for dx, so Dense's
/// symbolic gradient rounds exactly like its numeric one.
/// Its backward pass is <see cref="OpCode.MatMulTransposeB"/>'s (<see cref="TransposedMatMul"/>): the same product.
/// </summary>
internal readonly struct DenseInputGradient : IOperation
{
    /// <inheritdoc/>
    /// <remarks>Mathematically MatMulTransposeB: only the kernel (and so the rounding) differs.</remarks>
    public static OpDescription Description { get; } = MatMulTransposeB.Description with
    {
        Op = OpCode.DenseInputGradient,
        Sample = static (r, c, k) => new(new Node(OpCode.DenseInputGradient), [new(r, c), new(k, c)]),
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape dy = c.InputShape(0), w = c.InputShape(1);
        DenseKernels.InputGradient<T>(c.Input(0), c.Input(1), c.Output, c.Instances, dy.Rows, w.Rows, dy.Cols, c.Numerics);
    }

    /// <summary>The backward pass of the transposed product it computes.</summary>
    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
        => TransposedMatMul.Backward(c, transposeA: false);
}
