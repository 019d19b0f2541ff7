using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;
using System.Numerics;
using EcsNeural.Systems.Kernels;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>y = (Σ x)/n over all n elements of an instance, a [1×1] result; dx += dy/n.</summary>
internal readonly struct Mean : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.Mean,
        Arity = 1,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => NodeShape.Scalar,
        Bprop = BroadcastBprops.Mean,
        TwiceDifferentiable = true,
        Rows = RowRule.Mixes,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("ReduceMean", y, x, OnnxAttribute.Of("keepdims", 1L)),
        Sample = static (r, c, k) => new(new Node(OpCode.Mean), [new(r, c)]),
        Activation = null,
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.InputShape(0).Length;
        Span<T> x = c.Input(0), y = c.Output;
        for (int i = 0; i < c.Instances; i++)
            y[i] = FixedOrderSum.Sum<T>(OpContext<T>.Slice(x, i, n)) / T.CreateTruncating(n);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.InputShape(0).Length;
        Span<T> dx = c.InputGradient(0), dy = c.OutputGradient;
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> dxi = OpContext<T>.Slice(dx, i, n);
            TensorPrimitives.Add<T>(dxi, dy[i] / T.CreateTruncating(n), dxi);
        }
    }
}
