using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;
using System.Numerics;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>Leaky ReLU with a fixed slope α for x ≤ 0: y = x if x > 0 else αx.</summary>
internal readonly struct LeakyRelu : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.LeakyRelu,
        Arity = 1,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => ShapeRules.SameAsInput(inputs),
        Bprop = RectifierBprops.LeakyRelu,
        TwiceDifferentiable = false,
        Rows = RowRule.Independent,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("LeakyRelu", y, x, OnnxAttribute.Of("alpha", (float)node.Scalar)),
        Sample = static (r, c, k) => new(new Node(OpCode.LeakyRelu, 0.05), [new(r, c)]),
        Activation = new ActivationUnit(Rectifier: true) { Format = static (op, alpha) => $"{op}({alpha})" },
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> x = c.Input(0), y = c.Output;
        T alpha = T.CreateTruncating(c.Scalar);
        for (int j = 0; j < y.Length; j++)
            y[j] = x[j] > T.Zero ? x[j] : alpha * x[j];
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> x = c.Input(0), dy = c.OutputGradient, dx = c.InputGradient(0);
        T alpha = T.CreateTruncating(c.Scalar);
        for (int j = 0; j < dx.Length; j++)
            dx[j] += x[j] > T.Zero ? dy[j] : alpha * dy[j];
    }
}
