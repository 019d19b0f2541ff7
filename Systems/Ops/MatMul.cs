using System.Numerics;
using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;

namespace EcsNeural.Systems.Ops;

/// <summary>Matrix product C = A·B: A [m×k], B [k×n] → C [m×n]; dA += dC·Bᵀ, dB += Aᵀ·dC.</summary>
internal readonly struct MatMul : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.MatMul,
        Arity = 2,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => MatMul.Shape(inputs),
        Bprop = LinearAlgebraBprops.MatMul,
        TwiceDifferentiable = true,
        Rows = RowRule.SamplesOnLeft,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("MatMul", y, x),
        Sample = static (r, c, k) => new(new Node(OpCode.MatMul), [new(r, c), new(c, k)]),
        Activation = null,
    };

    public static NodeShape Shape(ReadOnlySpan<NodeShape> inputs)
    {
        NodeShape a = inputs[0], b = inputs[1];
        if (a.Cols != b.Rows)
            throw new InvalidShapeException($"inner dimensions differ: {a} · {b}");
        return new NodeShape(a.Rows, b.Cols);
    }

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape a = c.InputShape(0), b = c.InputShape(1);
        for (int i = 0; i < c.Instances; i++)
            ParallelGemm.Multiply(c, c.InputAt(0, i), false, c.InputAt(1, i), false, c.OutputAt(i), a.Rows, b.Cols, a.Cols, accumulate: false);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape a = c.InputShape(0), b = c.InputShape(1);
        for (int i = 0; i < c.Instances; i++)
        {
            if (c.NeedsGradient(0))
                ParallelGemm.Multiply(c, c.OutputGradientAt(i), false, c.InputAt(1, i), true, c.InputGradientAt(0, i), a.Rows, a.Cols, b.Cols, accumulate: true);
            if (c.NeedsGradient(1))
                ParallelGemm.Multiply(c, c.InputAt(0, i), true, c.OutputGradientAt(i), false, c.InputGradientAt(1, i), b.Rows, b.Cols, a.Rows, accumulate: true);
        }
    }
}
