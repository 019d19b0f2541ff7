using System.Numerics;
using EcsNeural.Components;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// A constant basis tensor in the shape of the input (whose values are not read): 1 at flat element k (the node's
/// pieces) of every instance, 0 elsewhere. Full Hessians are built from Hessian-vector products with these. Its
/// derivative is exactly 0.
/// </summary>
internal readonly struct OneHot : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.OneHot,
        Arity = 1,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => OneHot.Shape(inputs, node.Pieces),
        Bprop = static _ => { },
        TwiceDifferentiable = true,
        Rows = RowRule.Mixes,
        Onnx = null,
        Sample = static (r, c, k) => new(new Node(OpCode.OneHot, 0, r * c - 1), [new(r, c)]),
        Activation = null,
    };

    public static NodeShape Shape(ReadOnlySpan<NodeShape> inputs, int index)
    {
        if ((uint)index >= (uint)inputs[0].Length)
            throw new InvalidShapeException($"element {index} is outside {inputs[0]} ({inputs[0].Length} elements)");
        return inputs[0];
    }

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int length = c.OutputShape.Length;
        Span<T> y = c.Output;
        y.Clear();
        for (int i = 0; i < c.Instances; i++)
            y[i * length + c.Pieces] = T.One;
    }

    /// <summary>A constant: nothing to add.</summary>
    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T> { }
}
