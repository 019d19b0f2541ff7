using EcsNeural.Demo.Arena;

namespace EcsNeural.Demo.Brains;

/// <summary>Creates the population that drives the arena's agents.</summary>
public static class BrainFactory
{
    public const float LearningRate = 0.003f;

    /// <summary>One controller network per agent, initialised from the arena's seed.</summary>
    public static IBrainPopulation Create(ArenaConfig config, int workers) =>
        new ManagedMlpPopulation(config.Agents, ControllerShape.LayerSizes(config), config.Seed, workers, LearningRate);
}
