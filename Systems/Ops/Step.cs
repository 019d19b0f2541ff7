using EcsNeural.Components;
using System.Numerics;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// Step mask y = x &gt; 0 ? 1 : α (α in the node's scalar; 0 gives ReLU's derivative, α gives leaky ReLU's).
/// Piecewise constant: its derivative is 0 wherever it exists (everywhere but x = 0), so the backward pass adds nothing.
/// </summary>
internal readonly struct Step : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.Step,
        Arity = 1,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => ShapeRules.SameAsInput(inputs),
        Bprop = static _ => { },
        TwiceDifferentiable = false,
        PiecewiseConstantInputs = 0b01,
        Rows = RowRule.Independent,
        Onnx = static (onnx, node, x, shapes, y) =>
        {
            string positive = onnx.Node("Greater", onnx.Fresh("positive"), [x[0], onnx.Scalar(0)]);
            onnx.Node("Where", y, [positive, onnx.Scalar(1), onnx.Scalar(node.Scalar)]);
        },
        Sample = static (r, c, k) => new(new Node(OpCode.Step, 0.2), [new(r, c)]),
        Activation = null,
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> x = c.Input(0), y = c.Output;
        T below = T.CreateTruncating(c.Scalar);
        for (int j = 0; j < y.Length; j++)
            y[j] = x[j] > T.Zero ? T.One : below;
    }

    /// <summary>The derivative's almost-everywhere value, 0: nothing to add.</summary>
    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T> { }
}
