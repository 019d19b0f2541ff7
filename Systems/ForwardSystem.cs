using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Systems;

/// <summary>
/// Requests the forward pass (nodes in topological order) of every graph. It runs as part of one job per instance block,
/// scheduled by the optimizer system, by <see cref="CompleteSystem{TState}"/>, or by anything that reads the graph's values.
/// </summary>
/// <typeparam name="TState">The per-frame state of the host's system group; not read.</typeparam>
[UpdateAfter(typeof(CompileSystem<>))]
public sealed class ForwardSystem<TState>(NeuralRuntime runtime, JobScheduler scheduler) : ISystem<TState>
{
    /// <inheritdoc/>
    public void Update(in TState state)
    {
        for (int g = 0; g < runtime.Graphs.Count; g++)
            runtime.Graphs[g].Request(GraphPhases.Forward, scheduler);
    }
}
