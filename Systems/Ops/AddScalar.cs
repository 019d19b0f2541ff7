using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;
using System.Numerics;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>Addition of a constant: y = x + c; dx += dy.</summary>
internal readonly struct AddScalar : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.AddScalar,
        Arity = 1,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => ShapeRules.SameAsInput(inputs),
        Bprop = BroadcastBprops.AddScalar,
        ElementWise = true,
        TwiceDifferentiable = true,
        Rows = RowRule.Independent,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("Add", y, [x[0], onnx.Scalar(node.Scalar)]),
        Sample = static (r, c, k) => new(new Node(OpCode.AddScalar, 0.3), [new(r, c)]),
        Activation = null,
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Add<T>(c.Input(0), T.CreateTruncating(c.Scalar), c.Output);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> dx = c.InputGradient(0);
        TensorPrimitives.Add<T>(dx, c.OutputGradient, dx);
    }
}
