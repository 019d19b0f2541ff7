using EcsNeural.Components;
using EcsNeural.Ecs.Jobs;
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
        int length = c.Output.Length;
        ParallelElements.Run(c.RowScheduler, length, new ForwardJob<T>(c.InputAt(0, 0), c.OutputAt(0), length));
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int length = c.Output.Length;
        ParallelElements.Run(c.RowScheduler, length, new BackwardJob<T>(c.OutputAt(0), c.OutputGradientAt(0), c.InputGradientAt(0, 0), length));
    }

    /// <summary>y = tanh x for elements [start, end) of the block.</summary>
    private readonly struct ForwardJob<T>(TensorAddress<T> x, TensorAddress<T> y, int length) : IJobParallelFor
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Execute(int blockIndex, int start, int end) => ElementMath.Tanh<T>(x.Span(length)[start..end], y.Span(length)[start..end]);
    }

    /// <summary>dx += dy·(1−y²) for elements [start, end) of the block.</summary>
    private readonly struct BackwardJob<T>(TensorAddress<T> y, TensorAddress<T> dy, TensorAddress<T> dx, int length) : IJobParallelFor
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Execute(int blockIndex, int start, int end)
            => Elementwise.AddTanhGradient<T>(y.Span(length)[start..end], dy.Span(length)[start..end], dx.Span(length)[start..end]);
    }
}
