using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Systems.Reinforcement;

/// <summary>
/// How a policy learns from reward with proximal policy optimisation. The defaults are the usual ones (as in ML-Agents and
/// the PPO paper's continuous-control settings) and suit small game agents; <see cref="Validate"/> names any value out of range.
/// </summary>
public sealed record PpoOptions
{
    /// <summary>Seed of the networks' initialisation, the agents' exploration and the minibatch shuffles.</summary>
    public ulong Seed { get; init; }

    /// <summary>Ticks each agent acts before an update (the rollout's length per agent).</summary>
    public int RolloutTicks { get; init; } = 64;

    /// <summary>Passes over the rollout per update.</summary>
    public int Epochs { get; init; } = 4;

    /// <summary>Minibatches per pass when every slot is in use (the minibatch size is slots × rollout ticks ÷ this).</summary>
    public int Minibatches { get; init; } = 4;

    /// <summary>Discount γ of future rewards, in [0, 1].</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>GAE's λ, in [0, 1]: 0 is the one-step TD advantage, 1 the Monte-Carlo return minus the value.</summary>
    public double Lambda { get; init; } = 0.95;

    /// <summary>The clip range ε of the probability ratio, &gt; 0.</summary>
    public double Clip { get; init; } = 0.2;

    /// <summary>Weight of the value head's squared error in the loss, ≥ 0.</summary>
    public double ValueCoefficient { get; init; } = 0.5;

    /// <summary>Weight of the entropy bonus (more exploration), ≥ 0.</summary>
    public double EntropyCoefficient { get; init; } = 0.005;

    /// <summary>The update rule of the policy and value networks (Adam, step 3·10⁻⁴, by default).</summary>
    public OptimizerOptions Optimizer { get; init; } = OptimizerOptions.Adam(3e-4);

    /// <summary>Whether observations are normalised by their running mean and variance (kept in the network, saved in checkpoints).</summary>
    public bool NormalizeObservations { get; init; } = true;

    /// <summary>
    /// Minibatch steps of an update run per tick: 0 (default) runs the whole update in the tick the rollout fills; k &gt; 0
    /// spreads it over the following ticks, k steps each, while agents keep acting with the previous parameters.
    /// </summary>
    public int UpdateStepsPerTick { get; init; }

    /// <summary>Agents the policy has room for before it grows (doubling; growing reallocates, so size it for the game).</summary>
    public int Capacity { get; init; } = 64;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        Require(RolloutTicks >= 1, nameof(RolloutTicks), RolloutTicks, "≥ 1");
        Require(Epochs >= 1, nameof(Epochs), Epochs, "≥ 1");
        Require(Minibatches >= 1, nameof(Minibatches), Minibatches, "≥ 1");
        Require(Gamma is >= 0 and <= 1, nameof(Gamma), Gamma, "in [0, 1]");
        Require(Lambda is >= 0 and <= 1, nameof(Lambda), Lambda, "in [0, 1]");
        Require(Clip > 0 && double.IsFinite(Clip), nameof(Clip), Clip, "a positive finite number");
        Require(ValueCoefficient >= 0 && double.IsFinite(ValueCoefficient), nameof(ValueCoefficient), ValueCoefficient, "a finite number ≥ 0");
        Require(EntropyCoefficient >= 0 && double.IsFinite(EntropyCoefficient), nameof(EntropyCoefficient), EntropyCoefficient, "a finite number ≥ 0");
        Require(UpdateStepsPerTick >= 0, nameof(UpdateStepsPerTick), UpdateStepsPerTick, "≥ 0 (0: the whole update in one tick)");
        Require(Capacity >= 1, nameof(Capacity), Capacity, "≥ 1");
        ArgumentNullException.ThrowIfNull(Optimizer, nameof(Optimizer));
    }

    private static void Require(bool ok, string name, object value, string range)
    {
        if (!ok)
            throw new ArgumentOutOfRangeException(name, value, $"PpoOptions.{name} must be {range}, got {value}.");
    }
}
