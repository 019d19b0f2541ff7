using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

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
    /// instance first; <paramref name="live"/> how many of the range's instances exist; <paramref name="length"/> a parameter's
    /// elements per instance.
    /// </summary>
    public static void AdamInterleaved<T>(Span<T> w, ReadOnlySpan<T> g, Span<T> m, Span<T> v, ReadOnlySpan<long> steps, int live, int length,
        OptimizerOptions o) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector512<T>.Count, group = lanes * length;
        T beta1 = T.CreateTruncating(o.Beta1), beta2 = T.CreateTruncating(o.Beta2);
        Vector512<T> b1 = Vector512.Create(beta1), b2 = Vector512.Create(beta2), c1 = Vector512.Create(T.One - beta1), c2 = Vector512.Create(T.One - beta2);
        Vector512<T> epsilon = Vector512.Create(T.CreateTruncating(o.Epsilon));
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
            Vector512<T> size = Vector512.Create<T>(stepSize), correction = Vector512.Create<T>(inverseSecondCorrection);
            for (int j = start; j < start + group; j += lanes)
            {
                var gj = Vector512.Create<T>(g.Slice(j, lanes));
                Vector512<T> mj = b1 * Vector512.Create<T>(m.Slice(j, lanes)) + c1 * gj;
                Vector512<T> vj = b2 * Vector512.Create<T>(v.Slice(j, lanes)) + c2 * gj * gj;
                Vector512<T> wj = Vector512.Create<T>(w.Slice(j, lanes)) - size * mj / (Vector512.Sqrt(vj * correction) + epsilon);
                mj.CopyTo(m.Slice(j, lanes));
                vj.CopyTo(v.Slice(j, lanes));
                wj.CopyTo(w.Slice(j, lanes));
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
