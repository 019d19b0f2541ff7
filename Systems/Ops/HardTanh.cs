using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;
using System.Numerics;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>Hard tanh y = max(−1, min(1, x)); dx += dy where |x| &lt; 1.</summary>
internal readonly struct HardTanh : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.HardTanh,
        Arity = 1,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => ShapeRules.SameAsInput(inputs),
        Bprop = RectifierBprops.HardTanh,
        FiniteForFiniteInputs = true,
        ElementWise = true,
        TwiceDifferentiable = false,
        Rows = RowRule.Independent,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("Clip", y, [x[0], onnx.Scalar(-1), onnx.Scalar(1)]),
        Sample = static (r, c, k) => new(new Node(OpCode.HardTanh), [new(r, c, SampleDraw.AwayFromOne)]),
        Activation = new ActivationUnit(Rectifier: false),
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Clamp<T>(c.Input(0), -T.One, T.One, c.Output);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> x = c.Input(0), dy = c.OutputGradient, dx = c.InputGradient(0);
        for (int j = 0; j < dx.Length; j++)
        {
            if (T.Abs(x[j]) < T.One)
                dx[j] += dy[j];
        }
    }
}
