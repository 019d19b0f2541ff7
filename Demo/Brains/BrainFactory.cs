using EcsNeural.Components;
using EcsNeural.Demo.Arena;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Plugin.Building;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Demo.Brains;

/// <summary>Creates the population that drives the arena's agents.</summary>
public static class BrainFactory
{
    /// <summary>
    /// Adam's step size. Small on purpose: the agents should be seen to improve over a minute or so,
    /// not snap to the teacher in the first seconds.
    /// </summary>
    public const double LearningRate = 5e-4;

    /// <summary>
    /// The controller: observations → 32 → 32 (tanh) → turn, thrust (linear). The output layer starts
    /// silent — zero weights and bias −2, i.e. "turn fully right, no thrust" (actuators saturate at ±1) —
    /// so an untrained agent spins on the spot instead of wandering into food by luck; everything it
    /// later does, it learned.
    /// </summary>
    public static Mlp Architecture(ArenaConfig config) =>
        Mlp.Input(config.ObservationSize)
            .Dense(32, Activation.Tanh)
            .Dense(32, Activation.Tanh)
            .Dense(ArenaConfig.ActionSize, Activation.Identity, ParameterInit.Zeros, ParameterInit.Constant(-2));

    /// <summary>One controller network per agent on the engine, initialised from the arena's seed, its jobs run on <paramref name="jobs"/>.</summary>
    public static IBrainPopulation Create(ArenaConfig config, JobScheduler jobs) =>
        new EnginePopulation(config.Agents, Architecture(config), config.Seed, jobs, OptimizerOptions.Adam(LearningRate));
}
