using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Systems;

/// <summary>
/// Schedules each training graph's parameter update (its <see cref="ComputeGraph.Optimizer"/>: SGD, momentum or Adam)
/// over the trainable nodes of G′. Block b's job waits only for block b's backward job.
/// </summary>
[UpdateAfter(typeof(BackwardSystem))]
public sealed class OptimizerSystem(NeuralRuntime runtime, JobScheduler scheduler) : ISystem<float>
{
    /// <inheritdoc/>
    public void Initialize() { }
    /// <inheritdoc/>
    public void BeforeUpdate(in float deltaTime) { }

    /// <inheritdoc/>
    public void Update(in float deltaTime)
    {
        for (int g = 0; g < runtime.Graphs.Count; g++)
        {
            ComputeGraph graph = runtime.Graphs[g];
            if (graph.TrainingEnabled && graph.Loss != Entity.Null)
                BlockScheduling.ScheduleUpdate(scheduler, graph);
        }
    }

    /// <inheritdoc/>
    public void AfterUpdate(in float deltaTime) { }
    /// <inheritdoc/>
    public void Dispose() { }
}
