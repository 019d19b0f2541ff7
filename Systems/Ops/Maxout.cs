using System.Numerics;
using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// Maxout with k pieces per unit: input [batch × units·k] (usually a Dense layer), output [batch × units],
/// y_u = max over x_{u·k}, …, x_{u·k+k−1}. The gradient flows to the (first) maximal piece only.
/// </summary>
internal readonly struct Maxout : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.Maxout,
        Arity = 1,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => Maxout.Shape(inputs, node.Pieces),
        Bprop = RectifierBprops.Maxout,
        TwiceDifferentiable = false,
        Rows = RowRule.Independent,
        Onnx = static (onnx, node, x, shapes, y) =>
        {
            string grouped = onnx.Node("Reshape", onnx.Fresh("pieces"), [x[0], onnx.Int64s(-1, shapes[0].Cols / node.Pieces, node.Pieces)]);
            onnx.Node("ReduceMax", y, [grouped], OnnxAttribute.Of("axes", [2L]), OnnxAttribute.Of("keepdims", 0L));
        },
        Sample = static (r, c, k) => new(new Node(OpCode.Maxout, 0, 3), [new(r, 3 * c)]),
        Activation = new ActivationUnit(Rectifier: true)
        {
            Apply = static (nn, op, z, pieces, _) => nn.Op(new Node(op, 0, (int)pieces), z),
            AffinePerUnit = static pieces => (int)pieces,
            Format = static (op, pieces) => $"{op}({(int)pieces})",
            Validate = static pieces =>
            {
                if (pieces < 1)
                    throw new ArgumentOutOfRangeException(nameof(pieces), pieces, $"Maxout needs at least one piece per unit, got {pieces}.");
            },
        },
    };

    public static NodeShape Shape(ReadOnlySpan<NodeShape> inputs, int pieces)
    {
        if (pieces < 1)
            throw new InvalidShapeException($"maxout needs at least 1 piece per unit, got k = {pieces}");
        if (inputs[0].Cols % pieces != 0)
            throw new InvalidShapeException($"input {inputs[0]} has {inputs[0].Cols} features, not a multiple of k = {pieces}");
        return new NodeShape(inputs[0].Rows, inputs[0].Cols / pieces);
    }

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> x = c.Input(0), y = c.Output;
        int k = c.Pieces;
        for (int u = 0; u < y.Length; u++)
            y[u] = x[u * k + ArgMax(x.Slice(u * k, k))];
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> x = c.Input(0), dx = c.InputGradient(0), dy = c.OutputGradient;
        int k = c.Pieces;
        for (int u = 0; u < dy.Length; u++)
            dx[u * k + ArgMax(x.Slice(u * k, k))] += dy[u];
    }

    /// <summary>Index of the first largest piece.</summary>
    internal static int ArgMax<T>(Span<T> pieces) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int best = 0;
        for (int p = 1; p < pieces.Length; p++)
        {
            if (pieces[p] > pieces[best])
                best = p;
        }
        return best;
    }
}
