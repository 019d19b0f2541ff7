using EcsNeural.Components;
using EcsNeural.Systems.Kernels;
using EcsNeural.Systems.Symbolic;
using System.Numerics;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>Softplus y = log(1+eˣ) = max(x,0) + log(1+e^−|x|), which never overflows; dx += dy·σ(x).</summary>
internal readonly struct Softplus : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.Softplus,
        Arity = 1,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => ShapeRules.SameAsInput(inputs),
        Bprop = ElementwiseBprops.Softplus,
        TwiceDifferentiable = true,
        Rows = RowRule.Independent,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("Softplus", y, x),
        Sample = static (r, c, k) => new(new Node(OpCode.Softplus), [new(r, c)]),
        Activation = new ActivationUnit(Rectifier: false),
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementMath.Softplus<T>(c.Input(0), c.Output);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> x = c.Input(0), dy = c.OutputGradient, dx = c.InputGradient(0);
        Span<T> sigmoid = ElementScratch<T>.Rent(x.Length);
        ElementMath.Sigmoid<T>(x, sigmoid);   // as the graph's Sigmoid node computes it
        for (int j = 0; j < dx.Length; j++)
            dx[j] += dy[j] * sigmoid[j];
    }
}
