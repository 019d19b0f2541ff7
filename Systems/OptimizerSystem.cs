using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Systems;

/// <summary>
/// The parameter update of every training graph (its <see cref="ComputeGraph.Optimizer"/>: SGD, momentum or Adam, over
/// the trainable nodes of G′), then the start of the tick's work: <see cref="GraphSchedule.Flush"/> schedules one
/// parallel-for over the instance blocks, each block running <see cref="BlockExecutor{T}"/>'s forward → backward → update
/// loops back to back, after the graph's previous jobs.
/// </summary>
/// <typeparam name="TState">The per-frame state of the host's system group; not read.</typeparam>
[UpdateAfter(typeof(BackwardSystem<>))]
public sealed class OptimizerSystem<TState>(NeuralRuntime runtime, JobScheduler scheduler) : ISystem<TState>
{
    /// <inheritdoc/>
    public void Update(in TState state)
    {
        for (int g = 0; g < runtime.Graphs.Count; g++)
        {
            ComputeGraph graph = runtime.Graphs[g];
            if (graph.Trains)
                graph.Schedule.Request(GraphPhases.Update, scheduler);
            graph.Schedule.Flush();   // the last pass of a tick: start the block jobs now
        }
    }
}
