using EcsNeural.Components;
using EcsNeural.Systems.Kernels;
using EcsNeural.Systems.Symbolic;
using System.Numerics;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>Row-wise log-softmax y = z − max z − log Σ e^(z − max z); dz += dy − softmax(z)·Σdy.</summary>
internal readonly struct LogSoftmax : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.LogSoftmax,
        Arity = 1,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => ShapeRules.SameAsInput(inputs),
        Bprop = SoftmaxAndLossBprops.LogSoftmax,
        TwiceDifferentiable = true,
        Rows = RowRule.Independent,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("LogSoftmax", y, x, OnnxAttribute.Of("axis", 1L)),
        Sample = static (r, c, k) => new(new Node(OpCode.LogSoftmax), [new(r, c)]),
        Activation = new ActivationUnit(Rectifier: false),
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cols = c.InputShape(0).Cols;
        Span<T> z = c.Input(0), y = c.Output;
        for (int r = 0; r < y.Length / cols; r++)
        {
            Span<T> zRow = z.Slice(r * cols, cols);
            TensorPrimitives.Subtract<T>(zRow, LogSumExp.Of<T>(zRow), y.Slice(r * cols, cols));
        }
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // dz += dy − e^y·Σ_row dy, with e^y as the graph's Exp node and Σ_row dy as its SumCols compute them (symbolic = numeric).
        int cols = c.InputShape(0).Cols;
        Span<T> y = c.Output, dy = c.OutputGradient, dz = c.InputGradient(0);
        Span<T> exp = ElementScratch<T>.Rent(y.Length);
        ElementMath.Exp<T>(y, exp);
        for (int r = 0; r < y.Length / cols; r++)
        {
            T total = FixedOrderSum.Sum<T>(dy.Slice(r * cols, cols));
            for (int j = r * cols; j < (r + 1) * cols; j++)
                dz[j] += dy[j] - exp[j] * total;
        }
}
}
