using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// Linear-output loss: mean squared error L = (1/n) Σ (p − t)² over the n elements of (prediction, target);
/// dp += (2/n)(p − t)·dL, dt −= the same. Interleaved instances run the same scalar arithmetic one group of lanes at a time.
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
        Interleaves = true,
        Onnx = null,
        Sample = static (r, c, k) => new(new Node(OpCode.MseLoss), [new(r, c), new(r, c)]),
        Activation = null,
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.InputShape(0).Length;
        Span<T> p = c.Input(0), t = c.Input(1), loss = c.Output;
        if (c.Lanes > 1)
        {
            ForwardInterleaved(p, t, loss, c.Instances / c.Lanes, n);
            return;
        }
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
        if (c.Lanes > 1)
        {
            BackwardInterleaved(p, t, dLoss, needP ? c.InputGradient(0) : default, needT ? c.InputGradient(1) : default, c.Instances / c.Lanes, n);
            return;
        }
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

    // A group's loss is its L lanes ([group][1][L]); p, t and their gradients [group][n][L].
    private static void ForwardInterleaved<T>(Span<T> p, Span<T> t, Span<T> loss, int groups, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector512<T>.Count;
        var count = Vector512.Create(T.CreateTruncating(n));
        for (int g = 0; g < groups; g++)
        {
            Vector512<T> sum = Vector512<T>.Zero;
            for (int j = 0; j < n; j++)
            {
                int at = (g * n + j) * lanes;
                Vector512<T> d = Vector512.Create<T>(p.Slice(at, lanes)) - Vector512.Create<T>(t.Slice(at, lanes));
                sum += d * d;
            }
            (sum / count).CopyTo(loss.Slice(g * lanes, lanes));
        }
    }

    private static void BackwardInterleaved<T>(Span<T> p, Span<T> t, Span<T> dLoss, Span<T> dp, Span<T> dt, int groups, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector512<T>.Count;
        var two = Vector512.Create(T.CreateTruncating(2));
        var count = Vector512.Create(T.CreateTruncating(n));
        for (int g = 0; g < groups; g++)
        {
            Vector512<T> scale = two * Vector512.Create<T>(dLoss.Slice(g * lanes, lanes)) / count;
            for (int j = 0; j < n; j++)
            {
                int at = (g * n + j) * lanes;
                Vector512<T> gradient = scale * (Vector512.Create<T>(p.Slice(at, lanes)) - Vector512.Create<T>(t.Slice(at, lanes)));
                if (!dp.IsEmpty)
                    (Vector512.Create<T>(dp.Slice(at, lanes)) + gradient).CopyTo(dp.Slice(at, lanes));
                if (!dt.IsEmpty)
                    (Vector512.Create<T>(dt.Slice(at, lanes)) - gradient).CopyTo(dt.Slice(at, lanes));
            }
        }
    }
}
