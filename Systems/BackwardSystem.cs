using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Systems;

/// <summary>
/// The backward pass of every training graph that has a loss: gradients start at ∂loss/∂loss = 1 and flow in reverse
/// topological order over G′, each operation adding its Jacobian-transposed product into its inputs' gradients (a node
/// with several consumers receives their sum). It asks each graph's <see cref="GraphSchedule"/> for the pass; the pass
/// runs in <see cref="BlockExecutor{T}"/>'s backward loop, in the same per-block job as that block's forward pass.
/// </summary>
/// <typeparam name="TState">The per-frame state of the host's system group; not read.</typeparam>
[UpdateAfter(typeof(ForwardSystem<>))]
public sealed class BackwardSystem<TState>(NeuralRuntime runtime, JobScheduler scheduler) : ISystem<TState>
{
    /// <inheritdoc/>
    public void Update(in TState state)
    {
        for (int g = 0; g < runtime.Graphs.Count; g++)
        {
            ComputeGraph graph = runtime.Graphs[g];
            if (graph.Trains)
                graph.Schedule.Request(GraphPhases.Backward, scheduler);
        }
    }
}
