namespace EcsNeural.Components.Agents;

/// <summary>
/// A scalar the host gives an agent this tick (reinforcement signals). The gather system copies it into its population's
/// reward input, a [1×1] node, when the population has one.
/// </summary>
/// <param name="Value">The reward.</param>
public readonly record struct Reward(float Value);
