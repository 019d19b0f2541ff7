using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Kernels;

namespace EcsNeural.Systems.Reinforcement;

/// <summary>
/// A categorical policy over K discrete actions with an optional mask of allowed ones: π(k|s) = softmax over the allowed
/// logits. Masked logits are lowered by <see cref="MaskedLogitOffset"/> inside the graph, so e^(z − offset − log Σ) is
/// exactly 0 in float and double and a masked action has probability 0, adds 0 to the entropy and gets no gradient.
/// </summary>
public static class CategoricalActions
{
    /// <summary>How far below the others a masked action's logit is pushed (exp(−10⁴) underflows to 0).</summary>
    public const double MaskedLogitOffset = 1e4;

    /// <summary>
    /// Draws action k with probability π(k) from the allowed logits (<paramref name="mask"/>[k] ≠ 0, every one when the
    /// mask is empty) using the uniform number <paramref name="uniform"/> ∈ [0, 1); returns k and sets log π(k).
    /// </summary>
    public static int Sample(ReadOnlySpan<float> logits, ReadOnlySpan<float> mask, double uniform, out float logProbability)
    {
        double max = double.NegativeInfinity;
        for (int k = 0; k < logits.Length; k++)
        {
            if (Allowed(mask, k))
                max = Math.Max(max, logits[k]);
        }
        double sum = 0;
        for (int k = 0; k < logits.Length; k++)
        {
            if (Allowed(mask, k))
                sum += ElementMath.Exp(logits[k] - max);
        }
        double logNormalizer = max + ElementMath.Log(sum), threshold = uniform * sum, cumulative = 0;
        int chosen = -1;
        for (int k = 0; k < logits.Length; k++)
        {
            if (!Allowed(mask, k))
                continue;
            chosen = k;   // the last allowed action takes any rounding remainder
            cumulative += ElementMath.Exp(logits[k] - max);
            if (cumulative > threshold)
                break;
        }
        logProbability = (float)(logits[chosen] - logNormalizer);
        return chosen;
    }

    /// <summary>The most likely allowed action.</summary>
    public static int Mode(ReadOnlySpan<float> logits, ReadOnlySpan<float> mask)
    {
        int best = -1;
        for (int k = 0; k < logits.Length; k++)
        {
            if (Allowed(mask, k) && (best < 0 || logits[k] > logits[best]))
                best = k;
        }
        return best;
    }

    /// <summary>log π(·|s) per row, [batch × K]: log-softmax of the logits with masked ones pushed down by the offset.</summary>
    /// <param name="nn">The builder.</param>
    /// <param name="logits">[batch × K].</param>
    /// <param name="mask">[batch × K] of 1 (allowed) and 0 (masked), or <see cref="Entity.Null"/> for none.</param>
    public static Entity LogProbabilities(GraphBuilder nn, Entity logits, Entity mask)
        => nn.LogSoftmax(mask == Entity.Null ? logits : nn.Add(logits, nn.Scale(nn.AddScalar(mask, -1), MaskedLogitOffset)));

    /// <summary>log π(a|s) per row, [batch × 1], for the actions one-hot in <paramref name="chosen"/> [batch × K].</summary>
    public static Entity LogLikelihood(GraphBuilder nn, Entity logProbabilities, Entity chosen) => nn.SumCols(nn.Mul(logProbabilities, chosen));

    /// <summary>Mean entropy over rows, −(1/batch) Σ_rows Σₖ π(k) log π(k), [1 × 1].</summary>
    public static Entity Entropy(GraphBuilder nn, Entity logProbabilities)
        => nn.Scale(nn.Mean(nn.SumCols(nn.Mul(nn.Exp(logProbabilities), logProbabilities))), -1);

    private static bool Allowed(ReadOnlySpan<float> mask, int k) => mask.IsEmpty || mask[k] != 0;
}
