using System.Numerics;
using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// Maxout's selection as an operation: values v and selector s both [batch × units·k], y_u = v at the first maximal
/// piece of s's group u → [batch × units]. Maxout(x) is MaxoutGather(x, x); the gradient of a maxout gradient is this.
/// dv += dy routed to the selected pieces; the selector's derivative is 0 almost everywhere (the choice is piecewise constant).
/// </summary>
internal readonly struct MaxoutGather : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.MaxoutGather,
        Arity = 2,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => MaxoutGather.Shape(inputs, node.Pieces),
        Bprop = RectifierBprops.MaxoutGather,
        TwiceDifferentiable = false,
        PiecewiseConstantInputs = 0b10,
        Rows = RowRule.Mixes,
        Onnx = null,
        Sample = static (r, c, k) => new(new Node(OpCode.MaxoutGather, 0, 3), [new(r, 3 * c), new(r, 3 * c)]),
        Activation = null,
    };

    public static NodeShape Shape(ReadOnlySpan<NodeShape> inputs, int pieces)
    {
        if (inputs[0] != inputs[1])
            throw new InvalidShapeException($"values {inputs[0]} and selector {inputs[1]} must have the same shape");
        return Maxout.Shape(inputs, pieces);
    }

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> v = c.Input(0), s = c.Input(1), y = c.Output;
        int k = c.Pieces;
        for (int u = 0; u < y.Length; u++)
            y[u] = v[u * k + Maxout.ArgMax(s.Slice(u * k, k))];
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!c.NeedsGradient(0))
            return;
        Span<T> s = c.Input(1), dv = c.InputGradient(0), dy = c.OutputGradient;
        int k = c.Pieces;
        for (int u = 0; u < dy.Length; u++)
            dv[u * k + Maxout.ArgMax(s.Slice(u * k, k))] += dy[u];
    }
}
