using EcsNeural.Components;
using EcsNeural.Demo.Arena;
using EcsNeural.Plugin.Building;
using EcsNeural.Systems.Optimizers;
using EcsNeural.Systems.Reinforcement;

namespace EcsNeural.Demo.Training;

/// <summary>The two kinds of network that can drive the arena's agents, and how each learns.</summary>
public static class ForagerNetworks
{
    /// <summary>
    /// Adam's step size while imitating. Small on purpose: the agents should be seen to improve over a minute or so,
    /// not snap to the teacher in the first seconds.
    /// </summary>
    public const double ImitationLearningRate = 5e-4;

    /// <summary>
    /// Each agent's own controller when imitating: observations → 32 → 32 (tanh) → turn, thrust (linear). The output
    /// layer starts silent — zero weights and bias −2, i.e. "turn fully right, no thrust" (actuators saturate at ±1) —
    /// so an untrained agent spins on the spot instead of wandering into food by luck; everything it later does, it learned.
    /// </summary>
    public static Mlp Imitation(ArenaConfig config) =>
        Mlp.Input(config.ObservationSize)
            .Dense(32, Activation.Tanh)
            .Dense(32, Activation.Tanh)
            .Dense(ArenaConfig.ActionSize, Activation.Identity, ParameterInit.Zeros, ParameterInit.Constant(-2));

    /// <summary>The hidden layers of the policy all agents share when learning from reward (the module adds the heads).</summary>
    public static Mlp PolicyHidden(ArenaConfig config) =>
        Mlp.Input(config.ObservationSize).Dense(64, Activation.Tanh).Dense(64, Activation.Tanh);

    /// <summary>
    /// PPO for the arena: a rollout of 64 ticks per agent, 4 epochs of 4 minibatches, γ = 0.99, λ = 0.95 (the library's
    /// defaults), a slightly larger step than the default (one shared policy sees every agent's steps), room for every agent.
    /// </summary>
    public static PpoOptions Policy(ArenaConfig config, int updateStepsPerTick = 0) => new()
    {
        Seed = config.Seed,
        Capacity = config.Agents,
        Optimizer = OptimizerOptions.Adam(1e-3),
        UpdateStepsPerTick = updateStepsPerTick,
    };
}
