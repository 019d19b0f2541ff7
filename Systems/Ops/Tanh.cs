using EcsNeural.Components;
using EcsNeural.Systems.Kernels;
using EcsNeural.Systems.Symbolic;
using System.Numerics;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>Hyperbolic tangent; dx += dy·(1−y²).</summary>
internal readonly struct Tanh : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.Tanh,
        Arity = 1,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => ShapeRules.SameAsInput(inputs),
        Bprop = ElementwiseBprops.Tanh,
        TwiceDifferentiable = true,
        Rows = RowRule.Independent,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("Tanh", y, x),
        Sample = static (r, c, k) => new(new Node(OpCode.Tanh), [new(r, c)]),
        Activation = new ActivationUnit(Rectifier: false),
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementMath.Tanh<T>(c.Input(0), c.Output);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Elementwise.AddTanhGradient<T>(c.Output, c.OutputGradient, c.InputGradient(0));
    }
}
