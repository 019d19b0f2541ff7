using EcsNeural.Components;
using EcsNeural.Systems.Kernels;
using EcsNeural.Systems.Symbolic;
using System.Numerics;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>y = sin x (also the sine hidden unit); dx += dy·cos x.</summary>
internal readonly struct Sin : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.Sin,
        Arity = 1,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => ShapeRules.SameAsInput(inputs),
        Bprop = ElementwiseBprops.Sin,
        TwiceDifferentiable = true,
        Rows = RowRule.Independent,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("Sin", y, x),
        Sample = static (r, c, k) => new(new Node(OpCode.Sin), [new(r, c)]),
        Activation = new ActivationUnit(Rectifier: false),
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementMath.Sin<T>(c.Input(0), c.Output);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> x = c.Input(0), dy = c.OutputGradient, dx = c.InputGradient(0);
        Span<T> cos = ElementScratch<T>.Rent(x.Length);
        ElementMath.Cos<T>(x, cos);   // as the graph's Cos node computes it, so symbolic gradients match bit for bit
        for (int j = 0; j < dx.Length; j++)
            dx[j] += dy[j] * cos[j];
    }
}
