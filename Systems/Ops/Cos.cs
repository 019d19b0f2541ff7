using EcsNeural.Components;
using EcsNeural.Systems.Kernels;
using EcsNeural.Systems.Symbolic;
using System.Numerics;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>y = cos x; dx −= dy·sin x.</summary>
internal readonly struct Cos : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.Cos,
        Arity = 1,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => ShapeRules.SameAsInput(inputs),
        Bprop = ElementwiseBprops.Cos,
        TwiceDifferentiable = true,
        Rows = RowRule.Independent,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("Cos", y, x),
        Sample = static (r, c, k) => new(new Node(OpCode.Cos), [new(r, c)]),
        Activation = null,
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementMath.Cos<T>(c.Input(0), c.Output);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> x = c.Input(0), dy = c.OutputGradient, dx = c.InputGradient(0);
        Span<T> sin = ElementScratch<T>.Rent(x.Length);
        ElementMath.Sin<T>(x, sin);   // as the graph's Sin node computes it, so symbolic gradients match bit for bit
        for (int j = 0; j < dx.Length; j++)
            dx[j] -= dy[j] * sin[j];
    }
}
