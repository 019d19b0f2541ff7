using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;
using System.Numerics;
using EcsNeural.Systems.Kernels;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>y = Σ x over all elements of an instance, a [1×1] result; dx += dy.</summary>
internal readonly struct Sum : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.Sum,
        Arity = 1,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => NodeShape.Scalar,
        Bprop = BroadcastBprops.Sum,
        TwiceDifferentiable = true,
        Rows = RowRule.Mixes,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("ReduceSum", y, x, OnnxAttribute.Of("keepdims", 1L)),
        Sample = static (r, c, k) => new(new Node(OpCode.Sum), [new(r, c)]),
        Activation = null,
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.InputShape(0).Length;
        Span<T> x = c.Input(0), y = c.Output;
        for (int i = 0; i < c.Instances; i++)
            y[i] = FixedOrderSum.Sum<T>(OpContext<T>.Slice(x, i, n));
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.InputShape(0).Length;
        Span<T> dx = c.InputGradient(0), dy = c.OutputGradient;
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> dxi = OpContext<T>.Slice(dx, i, n);
            TensorPrimitives.Add<T>(dxi, dy[i], dxi);
        }
    }
}
