using System.Numerics;
using System.Numerics.Tensors;
using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// Division by a constant: y = x / c; dx += dy / c. A division rather than a <see cref="Scale"/> by 1/c, so that
/// gradients written as "/ n" (mean, losses) keep exactly the bits of the numeric backward pass.
/// </summary>
internal readonly struct DivScalar : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.DivScalar,
        Arity = 1,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => DivScalar.Shape(inputs, node.Scalar),
        Bprop = BroadcastBprops.DivScalar,
        TwiceDifferentiable = true,
        Rows = RowRule.Independent,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("Div", y, [x[0], onnx.Scalar(node.Scalar)]),
        Sample = static (r, c, k) => new(new Node(OpCode.DivScalar, 3), [new(r, c)]),
        Activation = null,
    };

    public static NodeShape Shape(ReadOnlySpan<NodeShape> inputs, double divisor)
    {
        if (divisor == 0 || !double.IsFinite(divisor))
            throw new InvalidShapeException($"the divisor must be finite and non-zero, got {divisor}");
        return inputs[0];
    }

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Divide<T>(c.Input(0), T.CreateTruncating(c.Scalar), c.Output);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> dx = c.InputGradient(0), dy = c.OutputGradient;
        T divisor = T.CreateTruncating(c.Scalar);
        for (int j = 0; j < dx.Length; j++)
            dx[j] += dy[j] / divisor;
    }
}
