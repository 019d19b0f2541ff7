using System.Numerics;
using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// Maxout's gradient routing as an operation: values v [batch × units] placed at the first maximal piece of each group
/// of the selector s [batch × units·k], zeros elsewhere → [batch × units·k] (Maxout's backward pass, written as a node).
/// dv += dy read at the selected pieces; the selector's derivative is 0 almost everywhere (the choice is piecewise constant).
/// </summary>
internal readonly struct MaxoutScatter : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.MaxoutScatter,
        Arity = 2,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => MaxoutScatter.Shape(inputs, node.Pieces),
        Bprop = RectifierBprops.MaxoutScatter,
        TwiceDifferentiable = false,
        PiecewiseConstantInputs = 0b10,
        Rows = RowRule.Mixes,
        Onnx = null,
        Sample = static (r, c, k) => new(new Node(OpCode.MaxoutScatter, 0, 3), [new(r, c), new(r, 3 * c)]),
        Activation = null,
    };

    public static NodeShape Shape(ReadOnlySpan<NodeShape> inputs, int pieces)
    {
        NodeShape v = inputs[0], s = inputs[1];
        if (pieces < 1 || s.Rows != v.Rows || s.Cols != (long)v.Cols * pieces)
            throw new InvalidShapeException($"selector {s} must be [{v.Rows}×{v.Cols}·k] for values {v} and k = {pieces} ≥ 1");
        return s;
    }

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> v = c.Input(0), s = c.Input(1), y = c.Output;
        int k = c.Pieces;
        y.Clear();
        for (int u = 0; u < v.Length; u++)
            y[u * k + Maxout.ArgMax(s.Slice(u * k, k))] = v[u];
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!c.NeedsGradient(0))
            return;
        Span<T> s = c.Input(1), dv = c.InputGradient(0), dy = c.OutputGradient;
        int k = c.Pieces;
        for (int u = 0; u < dv.Length; u++)
            dv[u] += dy[u * k + Maxout.ArgMax(s.Slice(u * k, k))];
    }
}
