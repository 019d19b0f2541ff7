using System.Numerics;
using EcsNeural.Components;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// Gaussian radial basis units h_i = exp(−‖W:,i − x‖²/σ²): x [batch×in], centres W [in×units] (column i is unit i's
/// centre), σ fixed. With g = ∂L/∂(‖·‖²) = −dy·h/σ²: dx_j += Σ_i g·2(x_j − W_ji), dW_ji += Σ_batch g·2(W_ji − x_j).
/// </summary>
internal static class RadialBasis
{
    public static NodeShape Shape(ReadOnlySpan<NodeShape> inputs, double sigma)
    {
        if (!(sigma > 0) || !double.IsFinite(sigma))
            throw new InvalidShapeException($"σ must be positive and finite, got {sigma}");
        if (inputs[1].Rows != inputs[0].Cols)
            throw new InvalidShapeException($"centres {inputs[1]} need {inputs[0].Cols} rows to match input {inputs[0]}");
        return new NodeShape(inputs[0].Rows, inputs[1].Cols);
    }

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape xs = c.InputShape(0), ws = c.InputShape(1), ys = c.OutputShape;
        T invSigma2 = T.One / T.CreateTruncating(c.Scalar * c.Scalar);
        Span<T> x = c.Input(0), w = c.Input(1), y = c.Output;
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> xi = OpContext<T>.Slice(x, i, xs.Length), wi = OpContext<T>.Slice(w, i, ws.Length), yi = OpContext<T>.Slice(y, i, ys.Length);
            for (int b = 0; b < xs.Rows; b++)
            {
                for (int u = 0; u < ws.Cols; u++)
                {
                    T d2 = T.Zero;
                    for (int j = 0; j < xs.Cols; j++)
                    {
                        T d = wi[j * ws.Cols + u] - xi[b * xs.Cols + j];
                        d2 += d * d;
                    }
                    yi[b * ys.Cols + u] = T.Exp(-d2 * invSigma2);
                }
            }
        }
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape xs = c.InputShape(0), ws = c.InputShape(1), ys = c.OutputShape;
        T minusTwoOverSigma2 = -T.CreateTruncating(2) / T.CreateTruncating(c.Scalar * c.Scalar);
        bool needX = c.NeedsGradient(0), needW = c.NeedsGradient(1);
        Span<T> x = c.Input(0), w = c.Input(1), y = c.Output, dy = c.OutputGradient;
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> xi = OpContext<T>.Slice(x, i, xs.Length), wi = OpContext<T>.Slice(w, i, ws.Length);
            Span<T> yi = OpContext<T>.Slice(y, i, ys.Length), dyi = OpContext<T>.Slice(dy, i, ys.Length);
            Span<T> dxi = needX ? OpContext<T>.Slice(c.InputGradient(0), i, xs.Length) : default;
            Span<T> dwi = needW ? OpContext<T>.Slice(c.InputGradient(1), i, ws.Length) : default;
            for (int b = 0; b < xs.Rows; b++)
            {
                for (int u = 0; u < ws.Cols; u++)
                {
                    // 2g, where g = ∂L/∂‖W:,u − x‖².
                    T twoG = minusTwoOverSigma2 * dyi[b * ys.Cols + u] * yi[b * ys.Cols + u];
                    for (int j = 0; j < xs.Cols; j++)
                    {
                        T diff = xi[b * xs.Cols + j] - wi[j * ws.Cols + u];
                        if (needX)
                            dxi[b * xs.Cols + j] += twoG * diff;
                        if (needW)
                            dwi[j * ws.Cols + u] -= twoG * diff;
                    }
                }
            }
        }
    }
}
