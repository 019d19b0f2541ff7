using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EcsNeural.Systems.Kernels;

namespace EcsNeural.Systems.Optimizers;

/// <summary>The update rules, applied to contiguous spans (one or many instances of one parameter).</summary>
internal static class OptimizerStep
{
    /// <summary>w ← w − η·g.</summary>
    public static void Sgd<T>(Span<T> w, ReadOnlySpan<T> g, T learningRate) where T : unmanaged, IFloatingPointIeee754<T>
        => TensorPrimitives.MultiplyAdd<T>(g, -learningRate, w, w);

    /// <summary>v ← μ·v − η·g; w ← w + v.</summary>
    public static void Momentum<T>(Span<T> w, ReadOnlySpan<T> g, Span<T> v, T learningRate, T momentum) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Multiply<T>(v, momentum, v);
        TensorPrimitives.MultiplyAdd<T>(g, -learningRate, v, v);
        TensorPrimitives.Add<T>(w, v, w);
    }

    /// <summary>One Adam step at time t ≥ 1 (one instance: t is per instance).</summary>
    public static void Adam<T>(Span<T> w, ReadOnlySpan<T> g, Span<T> m, Span<T> v, long t, OptimizerOptions o) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T beta1 = T.CreateTruncating(o.Beta1), beta2 = T.CreateTruncating(o.Beta2);
        T oneMinusBeta1 = T.One - beta1, oneMinusBeta2 = T.One - beta2;
        T stepSize = T.CreateTruncating(o.LearningRate / (1 - Power(o.Beta1, t)));
        T inverseSecondCorrection = T.CreateTruncating(1 / (1 - Power(o.Beta2, t)));
        T epsilon = T.CreateTruncating(o.Epsilon);
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; j <= w.Length - Vector<T>.Count; j += Vector<T>.Count)
            {
                var gj = new Vector<T>(g[j..]);
                Vector<T> mj = new Vector<T>(beta1) * new Vector<T>(m[j..]) + new Vector<T>(oneMinusBeta1) * gj;
                Vector<T> vj = new Vector<T>(beta2) * new Vector<T>(v[j..]) + new Vector<T>(oneMinusBeta2) * gj * gj;
                Vector<T> wj = new Vector<T>(w[j..]) - new Vector<T>(stepSize) * mj / (Vector.SquareRoot(vj * new Vector<T>(inverseSecondCorrection)) + new Vector<T>(epsilon));
                mj.CopyTo(m[j..]);
                vj.CopyTo(v[j..]);
                wj.CopyTo(w[j..]);
            }
        }
        for (; j < w.Length; j++)
        {
            m[j] = beta1 * m[j] + oneMinusBeta1 * g[j];
            v[j] = beta2 * v[j] + oneMinusBeta2 * g[j] * g[j];
            w[j] -= stepSize * m[j] / (T.Sqrt(v[j] * inverseSecondCorrection) + epsilon);
        }
    }

    /// <summary>
    /// Adam on interleaved instances (<c>[group][element][lane]</c>, whole groups): each lane's bias corrections from its
    /// own instance's step count, then the same arithmetic as <see cref="Adam{T}"/>, lane by lane, so every instance gets
    /// the bits the contiguous layout gives it. Lanes past <paramref name="live"/> (a partial group's spare lanes, no
    /// instance) take a zero step. <paramref name="steps"/> holds the step counts (t ≥ 1) of the range's instances, first
    /// instance first; <paramref name="live"/> how many of the range's instances exist; <paramref name="lanes"/> the instances
    /// of a group; <paramref name="length"/> a parameter's elements per instance.
    /// </summary>
    public static void AdamInterleaved<T>(Span<T> w, ReadOnlySpan<T> g, Span<T> m, Span<T> v, ReadOnlySpan<long> steps, int live, int lanes,
        int length, OptimizerOptions o) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (lanes == Vector512<T>.Count)
            AdamInterleaved<T, Vector512<T>, Lanes512<T>>(w, g, m, v, steps, live, length, o);
        else
            AdamInterleaved<T, Vector256<T>, Lanes256<T>>(w, g, m, v, steps, live, length, o);
    }

    private static void AdamInterleaved<T, TV, TL>(Span<T> w, ReadOnlySpan<T> g, Span<T> m, Span<T> v, ReadOnlySpan<long> steps, int live,
        int length, OptimizerOptions o) where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TL : struct, ILaneVector<T, TV>
    {
        int lanes = TL.Count, group = lanes * length;
        T beta1 = T.CreateTruncating(o.Beta1), beta2 = T.CreateTruncating(o.Beta2);
        TV b1 = TL.Broadcast(beta1), b2 = TL.Broadcast(beta2), c1 = TL.Broadcast(T.One - beta1), c2 = TL.Broadcast(T.One - beta2);
        TV epsilon = TL.Broadcast(T.CreateTruncating(o.Epsilon));
        Span<T> stepSize = stackalloc T[lanes], inverseSecondCorrection = stackalloc T[lanes];
        for (int start = 0; start < w.Length; start += group)
        {
            for (int lane = 0; lane < lanes; lane++)
            {
                int instance = start / length + lane;
                long t = instance < live ? steps[instance] : 0;
                stepSize[lane] = t == 0 ? T.Zero : T.CreateTruncating(o.LearningRate / (1 - Power(o.Beta1, t)));
                inverseSecondCorrection[lane] = t == 0 ? T.One : T.CreateTruncating(1 / (1 - Power(o.Beta2, t)));
            }
            TV size = TL.Load(ref stepSize[0], 0), correction = TL.Load(ref inverseSecondCorrection[0], 0);
            ref T wg = ref w[start], gg = ref Unsafe.AsRef(in g[start]), mg = ref m[start], vg = ref v[start];
            for (int e = 0; e < length; e++)
            {
                TV gj = TL.Load(ref gg, e);
                TV mj = TL.Add(TL.Multiply(b1, TL.Load(ref mg, e)), TL.Multiply(c1, gj));
                TV vj = TL.Add(TL.Multiply(b2, TL.Load(ref vg, e)), TL.Multiply(TL.Multiply(c2, gj), gj));
                TV wj = TL.Subtract(TL.Load(ref wg, e), TL.Divide(TL.Multiply(size, mj), TL.Add(TL.Sqrt(TL.Multiply(vj, correction)), epsilon)));
                TL.Store(mj, ref mg, e);
                TL.Store(vj, ref vg, e);
                TL.Store(wj, ref wg, e);
            }
        }
    }

    /// <summary>
    /// βᵗ by repeated squaring: a fixed sequence of IEEE multiplications, so the bias corrections are the same bits on every
    /// CPU (the C runtime's pow may round differently from one CPU or library version to the next).
    /// </summary>
    internal static double Power(double beta, long t)
    {
        double result = 1, square = beta;
        for (long e = t; e > 0; e >>= 1)
        {
            if ((e & 1) != 0)
                result *= square;
            square *= square;
        }
        return result;
    }
}
