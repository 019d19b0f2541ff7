using EcsNeural.Components;
using EcsNeural.Systems.Kernels;
using EcsNeural.Systems.Symbolic;
using System.Numerics;

namespace EcsNeural.Systems.Ops;

/// <summary>Hyperbolic tangent; dx += dy·(1−y²) (written, not added, by dx's first writer).</summary>
internal readonly struct Tanh : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.Tanh,
        Arity = 1,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => ShapeRules.SameAsInput(inputs),
        Bprop = ElementwiseBprops.Tanh,
        OverwritesFirstGradient = true,
        FiniteForFiniteInputs = true,
        ElementWise = true,
        TwiceDifferentiable = true,
        Rows = RowRule.Independent,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("Tanh", y, x),
        Sample = static (r, c, k) => new(new Node(OpCode.Tanh), [new(r, c)]),
        Activation = new ActivationUnit(Rectifier: false),
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
        => ElementMath.Tanh<T>(c.Input(0), c.Output);

    /// <summary>
    /// dx += dy·(1−y²), or dx = dy·(1−y²) when this node writes dx first (the gradient of a hidden layer's pre-activation
    /// then needs no clearing: 4 MB per layer of a 16,384-sample minibatch).
    /// </summary>
    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
        => Elementwise.TanhGradient<T>(c.Output, c.OutputGradient, c.InputGradient(0), c.OverwriteGradient(0));
}
