using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Systems.Reinforcement;

/// <summary>
/// PPO's clipped surrogate objective as graph nodes (Schulman et al. 2017): with the probability ratio
/// r = π(a|s)/π_old(a|s) = exp(log π − log π_old), the loss −mean(min(r·A, clip(r, 1 − ε, 1 + ε)·A)). Built from the
/// engine's ops — clip(r) = 1 + ε·hardtanh((r − 1)/ε) and min(u, v) = u − relu(u − v) — so its gradient is the backward
/// pass's: zero where the clipped term is the smaller one, which is what keeps an update near the old policy.
/// </summary>
public static class ClippedSurrogate
{
    /// <summary>The loss node, [1 × 1], and the ratio node, [batch × 1] (read it for the clip fraction and KL estimate).</summary>
    /// <param name="nn">The builder.</param>
    /// <param name="logLikelihood">log π(a|s) under the parameters being trained, [batch × 1].</param>
    /// <param name="oldLogLikelihood">log π_old(a|s) recorded when the agent acted, [batch × 1].</param>
    /// <param name="advantage">Â, [batch × 1].</param>
    /// <param name="clip">ε &gt; 0.</param>
    public static (Entity Loss, Entity Ratio) Build(GraphBuilder nn, Entity logLikelihood, Entity oldLogLikelihood, Entity advantage, double clip)
    {
        if (!(clip > 0) || !double.IsFinite(clip))
            throw new ArgumentOutOfRangeException(nameof(clip), clip, $"The clip range ε must be a positive finite number, got {clip}.");
        Entity ratio = nn.Exp(nn.Sub(logLikelihood, oldLogLikelihood));
        Entity clipped = nn.AddScalar(nn.Scale(nn.HardTanh(nn.Scale(nn.AddScalar(ratio, -1), 1 / clip)), clip), 1);
        Entity unclippedTerm = nn.Mul(ratio, advantage), clippedTerm = nn.Mul(clipped, advantage);
        Entity smaller = nn.Sub(unclippedTerm, nn.Relu(nn.Sub(unclippedTerm, clippedTerm)));
        return (nn.Scale(nn.Mean(smaller), -1), ratio);
    }
}
