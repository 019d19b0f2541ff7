using EcsNeural.Components;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Kernels;
using EcsNeural.Systems.Symbolic;
using System.Numerics;
using System.Numerics.Tensors;

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
        ParallelElements.Run(c.RowScheduler, length,
            new BackwardJob<T>(c.OutputAt(0), c.OutputGradientAt(0), c.InputGradientAt(0, 0), length, c.OverwriteGradient(0)));
    }

    /// <summary>y = tanh x for elements [start, end) of the block.</summary>
    private readonly struct ForwardJob<T>(TensorAddress<T> x, TensorAddress<T> y, int length) : IJobParallelFor
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Execute(int blockIndex, int start, int end) => ElementMath.Tanh<T>(x.Span(length)[start..end], y.Span(length)[start..end]);
    }

    /// <summary>
    /// dx += dy·(1−y²) for elements [start, end) of the block, or dx = dy·(1−y²) when this node writes dx first (the
    /// gradient of a hidden layer's pre-activation then needs no clearing: 4 MB per layer of a 16,384-sample minibatch).
    /// </summary>
    private readonly struct BackwardJob<T>(TensorAddress<T> y, TensorAddress<T> dy, TensorAddress<T> dx, int length, bool overwrite) : IJobParallelFor
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Execute(int blockIndex, int start, int end)
            => Elementwise.TanhGradient<T>(y.Span(length)[start..end], dy.Span(length)[start..end], dx.Span(length)[start..end], overwrite);
    }
}
