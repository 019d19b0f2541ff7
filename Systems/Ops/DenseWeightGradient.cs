using System.Numerics;
using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;
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
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.DenseWeightGradient,
        Arity = 2,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => TransposedMatMul.Shape(inputs, transposeA: true),
        Bprop = LinearAlgebraBprops.MatMulTransposeA,
        TwiceDifferentiable = true,
        Rows = RowRule.Mixes,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("MatMul", y, [onnx.Node("Transpose", onnx.Fresh("t"), [x[0]]), x[1]]),
        Sample = static (r, c, k) => new(new Node(OpCode.DenseWeightGradient), [new(r, c), new(r, k)]),
        Activation = null,
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape x = c.InputShape(0), dy = c.InputShape(1);
        DenseKernels.WeightGradient<T>(c.Input(0), c.Input(1), c.Output, c.Instances, x.Rows, x.Cols, dy.Cols);
    }

    /// <summary>The backward pass of the transposed product it computes.</summary>
    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
        => TransposedMatMul.Backward(c, transposeA: true);
}
