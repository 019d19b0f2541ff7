using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Systems;

/// <summary>
/// Requests the forward pass (nodes in topological order) of every graph. It runs as part of one job per instance block,
/// scheduled by the optimizer system, by <see cref="CompleteSystem"/>, or by anything that reads the graph's values.
/// </summary>
[UpdateAfter(typeof(CompileSystem))]
public sealed class ForwardSystem(NeuralRuntime runtime, JobScheduler scheduler) : ISystem<float>
{
    /// <inheritdoc/>
    public void Update(in float deltaTime)
    {
        for (int g = 0; g < runtime.Graphs.Count; g++)
            runtime.Graphs[g].Request(GraphPhases.Forward, scheduler);
    }
}
