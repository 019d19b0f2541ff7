using EcsNeural.Components;
using System.Numerics;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// A constant c (the node's scalar) in the shape of the input, whose values are not read: the seed ∂z/∂z = 1 of a
/// symbolic gradient and the zero gradient of a variable the output does not depend on. Its derivative is exactly 0.
/// </summary>
internal readonly struct Fill : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.Fill,
        Arity = 1,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => ShapeRules.SameAsInput(inputs),
        Bprop = static _ => { },
        TwiceDifferentiable = true,
        Rows = RowRule.Mixes,
        Onnx = null,
        Sample = static (r, c, k) => new(new Node(OpCode.Fill, 0.7), [new(r, c)]),
        Activation = null,
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        c.Output.Fill(T.CreateTruncating(c.Scalar));
    }

    /// <summary>A constant: nothing to add.</summary>
    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T> { }
}
