using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Systems;

/// <summary>
/// First system of a tick: waits for last tick's jobs, then compiles every graph that changed (shape checks, cycle
/// check, topological order, G′, arena layout). Unchanged graphs cost nothing.
/// </summary>
public sealed class CompileSystem(NeuralRuntime runtime) : ISystem<float>
{
    /// <inheritdoc/>
    public void Update(in float deltaTime)
    {
        runtime.CompleteAll();
        for (int g = 0; g < runtime.Graphs.Count; g++)
            runtime.Graphs[g].Compile();
    }
}
