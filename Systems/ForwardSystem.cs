using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Systems;

/// <summary>
/// The forward pass of every graph: nodes in topological order, each operation computing its output from its inputs.
/// It asks each graph's <see cref="GraphSchedule"/> for the pass; the pass runs in <see cref="BlockExecutor{T}"/>'s
/// forward loop, in each instance block of one parallel-for, together with that block's backward and update when the graph
/// trains (scheduled by <see cref="OptimizerSystem{TState}"/>, or by anything that waits for the graph's values).
/// </summary>
/// <typeparam name="TState">The per-frame state of the host's system group; not read.</typeparam>
[UpdateAfter(typeof(CompileSystem<>))]
public sealed class ForwardSystem<TState>(NeuralRuntime runtime, JobScheduler scheduler) : ISystem<TState>
{
    /// <inheritdoc/>
    public void Update(in TState state)
    {
        for (int g = 0; g < runtime.Graphs.Count; g++)
        {
            if (runtime.Graphs[g].RunsEachTick)
                runtime.Graphs[g].Schedule.Request(GraphPhases.Forward, scheduler);
        }
    }
}
