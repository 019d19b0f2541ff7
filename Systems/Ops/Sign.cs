using EcsNeural.Components;
using System.Numerics;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// Element-wise sign y ∈ {−1, 0, 1} (the derivative of |x|). Piecewise constant: its derivative is 0 wherever it
/// exists (everywhere but x = 0), so the backward pass adds nothing.
/// </summary>
internal readonly struct Sign : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.Sign,
        Arity = 1,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => ShapeRules.SameAsInput(inputs),
        Bprop = static _ => { },
        TwiceDifferentiable = false,
        PiecewiseConstantInputs = 0b01,
        Rows = RowRule.Independent,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("Sign", y, x),
        Sample = static (r, c, k) => new(new Node(OpCode.Sign), [new(r, c)]),
        Activation = null,
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> x = c.Input(0), y = c.Output;
        for (int j = 0; j < y.Length; j++)
            y[j] = T.CreateTruncating(T.Sign(x[j]));
    }

    /// <summary>The derivative's almost-everywhere value, 0: nothing to add.</summary>
    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T> { }
}
