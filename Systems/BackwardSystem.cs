using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Systems;

/// <summary>
/// Schedules the backward pass of every training graph that has a loss: gradients start at ∂loss/∂loss = 1 and flow in
/// reverse topological order over G′, each operation adding its Jacobian-transposed product into its inputs' gradients
/// (a node with several consumers receives their sum). Block b's job waits only for block b's forward job.
/// </summary>
[UpdateAfter(typeof(ForwardSystem))]
public sealed class BackwardSystem(NeuralRuntime runtime, JobScheduler scheduler) : ISystem<float>
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
                BlockScheduling.ScheduleBackward(scheduler, graph);
        }
    }

    /// <inheritdoc/>
    public void AfterUpdate(in float deltaTime) { }
    /// <inheritdoc/>
    public void Dispose() { }
}
