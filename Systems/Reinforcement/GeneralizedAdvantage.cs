namespace EcsNeural.Systems.Reinforcement;

/// <summary>
/// Generalized advantage estimation (Schulman et al. 2016) over one agent's steps of a rollout, newest first:
/// δₜ = rₜ + γ·V(sₜ₊₁) − V(sₜ), Aₜ = δₜ + γλ·Aₜ₊₁, and the value target Rₜ = Aₜ + V(sₜ).
/// </summary>
/// <remarks>
/// Episode ends cut the sums: after a <see cref="StepOutcome.Terminal"/> step there is no future (Aₜ = rₜ − V(sₜ)); after a
/// <see cref="StepOutcome.Truncated"/> one the future is its bootstrap value V(s_final) but no later advantage
/// (Aₜ = rₜ + γ·V(s_final) − V(sₜ)). The rollout's last step bootstraps from the value of the state the agent is in when the
/// update starts. A step whose successor's value is unknown (the agent left, or its reward never came) cannot be
/// estimated and is not learned from.
/// </remarks>
public static class GeneralizedAdvantage
{
    /// <summary>
    /// Fills <paramref name="advantages"/> and <paramref name="returns"/> for the steps of one agent, oldest first, and
    /// marks in <paramref name="usable"/> which steps have an estimate.
    /// </summary>
    /// <param name="outcomes">What each step knows (<see cref="StepOutcome"/>).</param>
    /// <param name="rewards">rₜ, valid where rewarded.</param>
    /// <param name="values">V(sₜ) from the acting pass, valid where acted.</param>
    /// <param name="bootstraps">V(s_final) for truncated steps.</param>
    /// <param name="finalValue">V of the state after the last step, or null when the agent is not acting at the update.</param>
    /// <param name="gamma">Discount γ ∈ [0, 1].</param>
    /// <param name="lambda">GAE's λ ∈ [0, 1].</param>
    /// <param name="advantages">Aₜ (written where usable).</param>
    /// <param name="returns">Rₜ = Aₜ + V(sₜ) (written where usable).</param>
    /// <param name="usable">Whether step t has an estimate.</param>
    public static void Compute(ReadOnlySpan<StepOutcome> outcomes, ReadOnlySpan<float> rewards, ReadOnlySpan<float> values,
        ReadOnlySpan<float> bootstraps, float? finalValue, float gamma, float lambda, Span<float> advantages, Span<float> returns, Span<bool> usable)
    {
        bool nextValueKnown = finalValue.HasValue, nextAdvantageKnown = false;
        float nextValue = finalValue.GetValueOrDefault(), nextAdvantage = 0;
        for (int t = outcomes.Length - 1; t >= 0; t--)
        {
            StepOutcome outcome = outcomes[t];
            usable[t] = false;
            if ((outcome & StepOutcome.Acted) == 0)
            {
                nextValueKnown = nextAdvantageKnown = false;
                continue;
            }
            float value = values[t], advantage;
            if ((outcome & StepOutcome.Rewarded) == 0)
            {
                // Its state still bootstraps the step before it; nothing else is known.
                (nextValue, nextValueKnown, nextAdvantageKnown) = (value, true, false);
                continue;
            }
            if ((outcome & StepOutcome.Terminal) != 0)
                advantage = rewards[t] - value;
            else if ((outcome & StepOutcome.Truncated) != 0)
                advantage = rewards[t] + gamma * bootstraps[t] - value;
            else if (nextValueKnown)
                advantage = rewards[t] + gamma * nextValue - value + (nextAdvantageKnown ? gamma * lambda * nextAdvantage : 0);
            else
            {
                (nextValue, nextValueKnown, nextAdvantageKnown) = (value, true, false);
                continue;
            }
            advantages[t] = advantage;
            returns[t] = advantage + value;
            usable[t] = true;
            (nextValue, nextValueKnown, nextAdvantage, nextAdvantageKnown) = (value, true, advantage, true);
        }
    }
}
