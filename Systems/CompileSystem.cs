using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Systems;

/// <summary>
/// First system of a tick: waits for last tick's jobs, then compiles every graph that changed (shape checks, cycle
/// check, topological order, G′, arena layout) and checks that no other graph's nodes were destroyed or changed behind
/// its back (<see cref="ComputeGraph.Verify"/>, a few lookups per node).
/// </summary>
/// <typeparam name="TState">The per-frame state of the host's system group; not read.</typeparam>
public sealed class CompileSystem<TState>(NeuralRuntime runtime) : ISystem<TState>
{
    /// <inheritdoc/>
    public void Update(in TState state)
    {
        runtime.CompleteAll();
        for (int g = 0; g < runtime.Graphs.Count; g++)
            runtime.Graphs[g].Verify();
    }
}
