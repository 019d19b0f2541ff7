using System.Numerics;
using EcsNeural.Components;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// Softmax output unit with cross-entropy, computed through log-softmax (z − max z) so huge logits stay finite:
/// per row −Σ_j y_j·logsoftmax(z)_j, L the mean over rows. dz += (ŷ·Σy − y)/rows·dL (ŷ − y for a one-hot or
/// probability target), dy −= logsoftmax(z)/rows·dL.
/// </summary>
internal static class SoftmaxCrossEntropyLoss
{
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
        NodeShape s = c.InputShape(0);
        bool needZ = c.NeedsGradient(0), needY = c.NeedsGradient(1);
        Span<T> z = c.Input(0), y = c.Input(1), dLoss = c.OutputGradient;
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> zi = OpContext<T>.Slice(z, i, s.Length), yi = OpContext<T>.Slice(y, i, s.Length);
            Span<T> dzi = needZ ? OpContext<T>.Slice(c.InputGradient(0), i, s.Length) : default;
            Span<T> dyi = needY ? OpContext<T>.Slice(c.InputGradient(1), i, s.Length) : default;
            T scale = dLoss[i] / T.CreateTruncating(s.Rows);
            for (int r = 0; r < s.Rows; r++)
            {
                Span<T> zRow = zi.Slice(r * s.Cols, s.Cols), yRow = yi.Slice(r * s.Cols, s.Cols);
                T lse = LogSumExp.Of<T>(zRow);
                T targetMass = T.Zero;
                for (int j = 0; j < s.Cols; j++)
                    targetMass += yRow[j];
                for (int j = 0; j < s.Cols; j++)
                {
                    T logProbability = zRow[j] - lse;
                    if (needZ)
                        dzi[r * s.Cols + j] += scale * (T.Exp(logProbability) * targetMass - yRow[j]);
                    if (needY)
                        dyi[r * s.Cols + j] -= scale * logProbability;
                }
            }
        }
    }
}
