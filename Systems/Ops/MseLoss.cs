using EcsNeural.Components;
using EcsNeural.Systems.Kernels;
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
            ForwardInterleaved(p, t, loss, c.Instances / c.Lanes, c.Lanes, n);
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
            BackwardInterleaved(p, t, dLoss, needP ? c.InputGradient(0) : default, needT ? c.InputGradient(1) : default, c.Instances / c.Lanes, c.Lanes, n);
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
    private static void ForwardInterleaved<T>(Span<T> p, Span<T> t, Span<T> loss, int groups, int lanes, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (lanes == Vector512<T>.Count)
            ForwardInterleaved<T, Vector512<T>, Lanes512<T>>(p, t, loss, groups, n);
        else
            ForwardInterleaved<T, Vector256<T>, Lanes256<T>>(p, t, loss, groups, n);
    }

    private static void ForwardInterleaved<T, TV, TL>(Span<T> p, Span<T> t, Span<T> loss, int groups, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TL : struct, ILaneVector<T, TV>
    {
        TV count = TL.Broadcast(T.CreateTruncating(n));
        for (int g = 0; g < groups; g++)
        {
            ref T pg = ref p[g * n * TL.Count], tg = ref t[g * n * TL.Count];
            TV sum = TL.Zero;
            for (int j = 0; j < n; j++)
            {
                TV d = TL.Subtract(TL.Load(ref pg, j), TL.Load(ref tg, j));
                sum = TL.Add(sum, TL.Multiply(d, d));
            }
            TL.Store(TL.Divide(sum, count), ref loss[0], g);
        }
    }

    private static void BackwardInterleaved<T>(Span<T> p, Span<T> t, Span<T> dLoss, Span<T> dp, Span<T> dt, int groups, int lanes, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (lanes == Vector512<T>.Count)
            BackwardInterleaved<T, Vector512<T>, Lanes512<T>>(p, t, dLoss, dp, dt, groups, n);
        else
            BackwardInterleaved<T, Vector256<T>, Lanes256<T>>(p, t, dLoss, dp, dt, groups, n);
    }

    private static void BackwardInterleaved<T, TV, TL>(Span<T> p, Span<T> t, Span<T> dLoss, Span<T> dp, Span<T> dt, int groups, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TL : struct, ILaneVector<T, TV>
    {
        TV two = TL.Broadcast(T.CreateTruncating(2)), count = TL.Broadcast(T.CreateTruncating(n));
        for (int g = 0; g < groups; g++)
        {
            int at = g * n * TL.Count;
            ref T pg = ref p[at], tg = ref t[at];
            TV scale = TL.Divide(TL.Multiply(two, TL.Load(ref dLoss[0], g)), count);
            for (int j = 0; j < n; j++)
            {
                TV gradient = TL.Multiply(scale, TL.Subtract(TL.Load(ref pg, j), TL.Load(ref tg, j)));
                if (!dp.IsEmpty)
                    TL.Store(TL.Add(TL.Load(ref dp[at], j), gradient), ref dp[at], j);
                if (!dt.IsEmpty)
                    TL.Store(TL.Subtract(TL.Load(ref dt[at], j), gradient), ref dt[at], j);
            }
        }
    }
}
