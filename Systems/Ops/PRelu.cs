using System.Numerics;
using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// Parametric ReLU: y = x if x &gt; 0 else α_j·x, with a learned slope α per unit (second input, [1×features]).
/// dx += dy·(x &gt; 0 ? 1 : α_j); dα_j += Σ_rows dy·x where x ≤ 0.
/// </summary>
internal readonly struct PRelu : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.PRelu,
        Arity = 2,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => PRelu.Shape(inputs),
        Bprop = RectifierBprops.PRelu,
        TwiceDifferentiable = false,
        Rows = RowRule.BroadcastOperands,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("PRelu", y, x),
        Sample = static (r, c, k) => new(new Node(OpCode.PRelu), [new(r, c), new(1, c, SampleDraw.Small)]),
        Activation = new ActivationUnit(Rectifier: true)
        {
            // The slopes are a parameter of the layer, one per unit, starting at the activation's parameter.
            Apply = static (nn, op, z, slope, units) => nn.Op(new Node(op), z, nn.Parameter(1, units, ParameterInit.Constant(slope))),
            Format = static (op, slope) => $"{op}({slope})",
        },
    };

    public static NodeShape Shape(ReadOnlySpan<NodeShape> inputs)
    {
        if (inputs[1] != new NodeShape(1, inputs[0].Cols))
            throw new InvalidShapeException($"slopes {inputs[1]} must be [1×{inputs[0].Cols}], one per unit of input {inputs[0]}");
        return inputs[0];
    }

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape s = c.InputShape(0);
        Span<T> x = c.Input(0), alpha = c.Input(1), y = c.Output;
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> xi = OpContext<T>.Slice(x, i, s.Length), yi = OpContext<T>.Slice(y, i, s.Length), ai = OpContext<T>.Slice(alpha, i, s.Cols);
            for (int j = 0; j < xi.Length; j++)
                yi[j] = xi[j] > T.Zero ? xi[j] : ai[j % s.Cols] * xi[j];
        }
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape s = c.InputShape(0);
        Span<T> x = c.Input(0), alpha = c.Input(1), dy = c.OutputGradient;
        bool needX = c.NeedsGradient(0), needAlpha = c.NeedsGradient(1);
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> xi = OpContext<T>.Slice(x, i, s.Length), dyi = OpContext<T>.Slice(dy, i, s.Length), ai = OpContext<T>.Slice(alpha, i, s.Cols);
            Span<T> dxi = needX ? OpContext<T>.Slice(c.InputGradient(0), i, s.Length) : default;
            Span<T> dai = needAlpha ? OpContext<T>.Slice(c.InputGradient(1), i, s.Cols) : default;
            for (int j = 0; j < xi.Length; j++)
            {
                bool positive = xi[j] > T.Zero;
                if (needX)
                    dxi[j] += positive ? dyi[j] : ai[j % s.Cols] * dyi[j];
                if (needAlpha && !positive)
                    dai[j % s.Cols] += dyi[j] * xi[j];
            }
        }
    }
}
