using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;

namespace EcsNeural.Systems.Population;

/// <summary>
/// Ready-made system groups for agent populations: the engine's pipeline (<see cref="NeuralSystems.Pipeline{TState}"/>)
/// with gather and scatter around it, for a host group of any per-frame state type <c>TState</c>.
/// </summary>
public static class PopulationSystems
{
    /// <summary>One training tick: Compile → Gather → Forward → Backward → Optimizer → Complete → Scatter.</summary>
    public static SystemGroup<TState> Training<TState>(PopulationRegistry populations, JobScheduler scheduler)
        => NeuralSystems.Pipeline<TState>("Population training", Runtime(populations), scheduler, training: true, populations);

    /// <summary>Inference only: Compile → Gather → Forward → Complete → Scatter.</summary>
    public static SystemGroup<TState> Inference<TState>(PopulationRegistry populations, JobScheduler scheduler)
        => NeuralSystems.Pipeline<TState>("Population inference", Runtime(populations), scheduler, training: false, populations);

    private static Graph.NeuralRuntime Runtime(PopulationRegistry populations)
    {
        ArgumentNullException.ThrowIfNull(populations);
        return populations.Runtime;
    }
}
