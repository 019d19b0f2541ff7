using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;
using System.Numerics;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// Linear-output loss: mean squared error L = (1/n) Σ (p − t)² over the n elements of (prediction, target);
/// dp += (2/n)(p − t)·dL, dt −= the same.
/// </summary>
internal readonly struct MseLoss : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.MseLoss,
        Arity = 2,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => ShapeRules.Loss(inputs),
        Bprop = SoftmaxAndLossBprops.MseLoss,
        TwiceDifferentiable = true,
        Rows = RowRule.Mixes,
        Onnx = null,
        Sample = static (r, c, k) => new(new Node(OpCode.MseLoss), [new(r, c), new(r, c)]),
        Activation = null,
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.InputShape(0).Length;
        Span<T> p = c.Input(0), t = c.Input(1), loss = c.Output;
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> pi = OpContext<T>.Slice(p, i, n), ti = OpContext<T>.Slice(t, i, n);
            T sum = T.Zero;
            for (int j = 0; j < n; j++)
            {
                T d = pi[j] - ti[j];
                sum += d * d;
            }
            loss[i] = sum / T.CreateTruncating(n);
        }
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.InputShape(0).Length;
        bool needP = c.NeedsGradient(0), needT = c.NeedsGradient(1);
        Span<T> p = c.Input(0), t = c.Input(1), dLoss = c.OutputGradient;
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> pi = OpContext<T>.Slice(p, i, n), ti = OpContext<T>.Slice(t, i, n);
            Span<T> dpi = needP ? OpContext<T>.Slice(c.InputGradient(0), i, n) : default;
            Span<T> dti = needT ? OpContext<T>.Slice(c.InputGradient(1), i, n) : default;
            T scale = T.CreateTruncating(2) * dLoss[i] / T.CreateTruncating(n);
            for (int j = 0; j < n; j++)
            {
                T g = scale * (pi[j] - ti[j]);
                if (needP)
                    dpi[j] += g;
                if (needT)
                    dti[j] -= g;
            }
        }
    }
}
