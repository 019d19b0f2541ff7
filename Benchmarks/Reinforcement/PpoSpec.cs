using EcsNeural.Benchmarks.Workloads;

namespace EcsNeural.Benchmarks.Reinforcement;

/// <summary>
/// The shape of the <c>rl</c> benchmark: agents sharing one PPO policy (separate policy and value MLPs of the same tanh
/// hidden layers, Gaussian actions), the rollout they collect and the update's epochs and minibatches.
/// </summary>
/// <param name="Agents">Agents bound to the policy (its capacity: one row each in the acting graph).</param>
/// <param name="Observations">Features per observation.</param>
/// <param name="Actions">Continuous action dimensions.</param>
/// <param name="Hidden">Hidden layer widths (tanh), the same for the policy and the value network.</param>
/// <param name="RolloutTicks">Ticks per rollout (an update every this many ticks).</param>
/// <param name="Epochs">Passes over the rollout per update.</param>
/// <param name="Minibatches">Minibatches per pass.</param>
public sealed record PpoSpec(int Agents, int Observations, int Actions, int[] Hidden, int RolloutTicks, int Epochs, int Minibatches)
{
    /// <summary>Issue 11's shape: 1,024 agents, observation 16, action 2, 64-64 tanh, rollout 64, 4 epochs of 4 minibatches.</summary>
    public static PpoSpec Standard { get; } = new(1_024, 16, 2, [64, 64], 64, 4, 4);

    /// <summary>Samples per minibatch step: the rollout's agents × ticks over the minibatches.</summary>
    public int MinibatchSize => (Agents * RolloutTicks + Minibatches - 1) / Minibatches;

    /// <summary>The policy network's widths, input first (observations, hidden…, actions).</summary>
    public int[] PolicyWidths => [Observations, .. Hidden, Actions];

    /// <summary>The value network's widths, input first (observations, hidden…, 1).</summary>
    public int[] ValueWidths => [Observations, .. Hidden, 1];

    /// <summary>FLOPs of one collected tick (<see cref="FlopCount"/>'s dense forward count): both networks for every agent.</summary>
    public double FlopsPerTick => 2.0 * Agents * (MultiplyAdds(PolicyWidths) + MultiplyAdds(ValueWidths));

    /// <summary>FLOPs of one update (<see cref="FlopCount"/>): epochs × minibatches training steps of both networks.</summary>
    public double FlopsPerUpdate => (double)Epochs * Minibatches
        * (FlopCount.TrainingStep(PolicyWidths, MinibatchSize, 1) + FlopCount.TrainingStep(ValueWidths, MinibatchSize, 1));

    /// <summary>One line for the log, e.g. "1,024 agents, 16-64-64-2 policy + 16-64-64-1 value, rollout 64, 4 × 4 minibatches of 16,384".</summary>
    public string Describe() => $"PPO, {Agents:N0} agents, {string.Join('-', PolicyWidths)} tanh policy (Gaussian) + {string.Join('-', ValueWidths)} value, "
        + $"rollout {RolloutTicks} ticks, {Epochs} epochs × {Minibatches} minibatches of {MinibatchSize:N0}";

    private static double MultiplyAdds(int[] widths)
    {
        double macs = 0;
        for (int l = 0; l + 1 < widths.Length; l++)
            macs += (double)widths[l] * widths[l + 1];
        return macs;
    }
}
