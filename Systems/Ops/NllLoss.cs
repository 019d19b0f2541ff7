using System.Numerics;
using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// Negative log-likelihood of log-probabilities (e.g. from <see cref="LogSoftmax"/>) under a target distribution
/// (one-hot rows): L = −(1/rows) Σ y ⊙ log p. d(log p) −= y/rows·dL, dy −= log p/rows·dL.
/// </summary>
internal readonly struct NllLoss : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.NllLoss,
        Arity = 2,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => ShapeRules.Loss(inputs),
        Bprop = SoftmaxAndLossBprops.NllLoss,
        TwiceDifferentiable = true,
        Rows = RowRule.Mixes,
        Onnx = null,
        Sample = static (r, c, k) => new(new Node(OpCode.NllLoss), [new(r, c), new(r, c, SampleDraw.OneHotRows)]),
        Activation = null,
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape s = c.InputShape(0);
        Span<T> logP = c.Input(0), y = c.Input(1), loss = c.Output;
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> li = OpContext<T>.Slice(logP, i, s.Length), yi = OpContext<T>.Slice(y, i, s.Length);
            T sum = T.Zero;
            for (int j = 0; j < s.Length; j++)
                sum -= yi[j] * li[j];
            loss[i] = sum / T.CreateTruncating(s.Rows);
        }
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape s = c.InputShape(0);
        bool needLogP = c.NeedsGradient(0), needY = c.NeedsGradient(1);
        Span<T> logP = c.Input(0), y = c.Input(1), dLoss = c.OutputGradient;
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> li = OpContext<T>.Slice(logP, i, s.Length), yi = OpContext<T>.Slice(y, i, s.Length);
            Span<T> dli = needLogP ? OpContext<T>.Slice(c.InputGradient(0), i, s.Length) : default;
            Span<T> dyi = needY ? OpContext<T>.Slice(c.InputGradient(1), i, s.Length) : default;
            T scale = dLoss[i] / T.CreateTruncating(s.Rows);
            for (int j = 0; j < s.Length; j++)
            {
                if (needLogP)
                    dli[j] -= scale * yi[j];
                if (needY)
                    dyi[j] -= scale * li[j];
            }
        }
    }
}
