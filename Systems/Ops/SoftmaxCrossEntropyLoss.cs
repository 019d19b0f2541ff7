using System.Numerics;
using System.Numerics.Tensors;
using EcsNeural.Components;
using EcsNeural.Systems.Kernels;
using EcsNeural.Systems.Symbolic;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// Softmax output unit with cross-entropy, computed through log-softmax (z − max z) so huge logits stay finite:
/// per row −Σ_j y_j·logsoftmax(z)_j, L the mean over rows. dz += (ŷ·Σy − y)/rows·dL (ŷ − y for a one-hot or
/// probability target), dy −= logsoftmax(z)/rows·dL.
/// </summary>
internal readonly struct SoftmaxCrossEntropyLoss : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.SoftmaxCrossEntropyLoss,
        Arity = 2,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => ShapeRules.Loss(inputs),
        Bprop = SoftmaxAndLossBprops.SoftmaxCrossEntropyLoss,
        TwiceDifferentiable = true,
        Rows = RowRule.Mixes,
        Onnx = null,
        Sample = static (r, c, k) => new(new Node(OpCode.SoftmaxCrossEntropyLoss), [new(r, c), new(r, c, SampleDraw.Positive)]),
        Activation = null,
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape s = c.InputShape(0);
        Span<T> z = c.Input(0), y = c.Input(1), loss = c.Output;
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> zi = OpContext<T>.Slice(z, i, s.Length), yi = OpContext<T>.Slice(y, i, s.Length);
            T sum = T.Zero;
            for (int r = 0; r < s.Rows; r++)
            {
                Span<T> zRow = zi.Slice(r * s.Cols, s.Cols), yRow = yi.Slice(r * s.Cols, s.Cols);
                T lse = LogSumExp.Of<T>(zRow);
                for (int j = 0; j < s.Cols; j++)
                    sum -= yRow[j] * (zRow[j] - lse);
            }
            loss[i] = sum / T.CreateTruncating(s.Rows);
        }
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Per element dz += s·(e^logp·Σ_row y − y), dy −= s·logp, s = dL/rows: logp as the graph's LogSoftmax, e^logp as its
        // Exp and Σ_row y as its SumCols compute them, so the symbolic bprop matches bit for bit.
        NodeShape shape = c.InputShape(0);
        Span<T> z = c.Input(0), y = c.Input(1), dLoss = c.OutputGradient;
        Span<T> dz = c.NeedsGradient(0) ? c.InputGradient(0) : default, dy = c.NeedsGradient(1) ? c.InputGradient(1) : default;
        Span<T> logP = ElementScratch<T>.Rent(2 * z.Length);
        Span<T> exp = logP[z.Length..];
        logP = logP[..z.Length];
        for (int r = 0; r < z.Length / shape.Cols; r++)
        {
            Span<T> zRow = z.Slice(r * shape.Cols, shape.Cols);
            TensorPrimitives.Subtract<T>(zRow, LogSumExp.Of<T>(zRow), logP.Slice(r * shape.Cols, shape.Cols));
        }
        ElementMath.Exp<T>(logP, exp);
        for (int r = 0; r < z.Length / shape.Cols; r++)
        {
            T mass = FixedOrderSum.Sum<T>(y.Slice(r * shape.Cols, shape.Cols));
            T scale = dLoss[r * shape.Cols / shape.Length] / T.CreateTruncating(shape.Rows);
            for (int j = r * shape.Cols; j < (r + 1) * shape.Cols; j++)
            {
                if (!dz.IsEmpty)
                    dz[j] += scale * (exp[j] * mass - y[j]);
                if (!dy.IsEmpty)
                    dy[j] -= scale * logP[j];
            }
        }
    }
}
