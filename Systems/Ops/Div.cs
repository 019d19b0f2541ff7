using System.Numerics;
using System.Numerics.Tensors;
using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;

namespace EcsNeural.Systems.Ops;

/// <summary>Element-wise y = a / b for equally shaped a and b; da += dy / b, db −= dy·y / b.</summary>
internal readonly struct Div : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.Div,
        Arity = 2,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => Div.Shape(inputs),
        Bprop = BroadcastBprops.Div,
        TwiceDifferentiable = true,
        Rows = RowRule.BroadcastOperands,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("Div", y, x),
        Sample = static (r, c, k) => new(new Node(OpCode.Div), [new(r, c), new(r, c, SampleDraw.Positive)]),
        Activation = null,
    };

    public static NodeShape Shape(ReadOnlySpan<NodeShape> inputs)
    {
        if (inputs[0] != inputs[1])
            throw new InvalidShapeException($"numerator {inputs[0]} and denominator {inputs[1]} must have the same shape");
        return inputs[0];
    }

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Divide<T>(c.Input(0), c.Input(1), c.Output);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> b = c.Input(1), y = c.Output, dy = c.OutputGradient;
        if (c.NeedsGradient(0))
        {
            Span<T> da = c.InputGradient(0);
            for (int j = 0; j < da.Length; j++)
                da[j] += dy[j] / b[j];
        }
        if (c.NeedsGradient(1))
        {
            Span<T> db = c.InputGradient(1);
            for (int j = 0; j < db.Length; j++)
                db[j] -= dy[j] * y[j] / b[j];
        }
    }
}
