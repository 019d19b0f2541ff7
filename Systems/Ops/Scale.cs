using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;
using System.Numerics;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>Multiplication by a constant: y = c·x; dx += c·dy.</summary>
internal readonly struct Scale : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.Scale,
        Arity = 1,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => ShapeRules.SameAsInput(inputs),
        Bprop = BroadcastBprops.Scale,
        ElementWise = true,
        TwiceDifferentiable = true,
        Rows = RowRule.Independent,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("Mul", y, [x[0], onnx.Scalar(node.Scalar)]),
        Sample = static (r, c, k) => new(new Node(OpCode.Scale, -1.7), [new(r, c)]),
        Activation = null,
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Multiply<T>(c.Input(0), T.CreateTruncating(c.Scalar), c.Output);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> dx = c.InputGradient(0);
        TensorPrimitives.MultiplyAdd<T>(c.OutputGradient, T.CreateTruncating(c.Scalar), dx, dx);
    }
}
