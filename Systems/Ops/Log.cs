using EcsNeural.Components;
using EcsNeural.Systems.Kernels;
using EcsNeural.Systems.Symbolic;
using System.Numerics;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>y = ln x; dx += dy / x.</summary>
internal readonly struct Log : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.Log,
        Arity = 1,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => ShapeRules.SameAsInput(inputs),
        Bprop = ElementwiseBprops.Log,
        TwiceDifferentiable = true,
        Rows = RowRule.Independent,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("Log", y, x),
        Sample = static (r, c, k) => new(new Node(OpCode.Log), [new(r, c, SampleDraw.Positive)]),
        Activation = null,
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementMath.Log<T>(c.Input(0), c.Output);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> x = c.Input(0), dy = c.OutputGradient, dx = c.InputGradient(0);
        for (int j = 0; j < dx.Length; j++)
            dx[j] += dy[j] / x[j];
    }
}
