using EcsNeural.Demo.Arena;
using EcsNeural.Components;
using EcsNeural.Plugin.Building;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Demo.Brains;

/// <summary>Creates the population that drives the arena's agents.</summary>
public static class BrainFactory
{
    public static double LearningRate = 0.0003;

    public static ParameterInit? OutputInit = ParameterInit.Zeros;
    public static int SamplesPerAgent = 1;

    /// <summary>The controller: observations → 32 → 32 (tanh) → turn, thrust (linear).</summary>
    public static Mlp Architecture(ArenaConfig config) =>
        Mlp.Input(config.ObservationSize).Dense(32, Activation.Tanh).Dense(32, Activation.Tanh).Dense(ArenaConfig.ActionSize, Activation.Identity, OutputInit, ParameterInit.Constant(-1));

    /// <summary>One controller network per agent on the engine, initialised from the arena's seed.</summary>
    public static IBrainPopulation Create(ArenaConfig config, int workers) =>
        new EnginePopulation(config.Agents, Architecture(config), config.Seed, workers, OptimizerOptions.Adam(LearningRate), SamplesPerAgent);
}
