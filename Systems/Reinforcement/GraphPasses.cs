using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Systems.Reinforcement;

/// <summary>Runs a graph that its owner steps itself (not every tick by the module's systems) and waits for it.</summary>
internal static class GraphPasses
{
    /// <summary>Forward → backward → optimizer update, as the pipeline's systems would, then waits (failures rethrown).</summary>
    public static void Train(ComputeGraph graph, JobScheduler scheduler)
    {
        graph.Schedule.Request(GraphPhases.Forward, scheduler);
        graph.Schedule.Request(GraphPhases.Backward, scheduler);
        graph.Schedule.Request(GraphPhases.Update, scheduler);
        graph.Complete();
    }

    /// <summary>The forward pass alone, then waits.</summary>
    public static void Forward(ComputeGraph graph, JobScheduler scheduler)
    {
        graph.Schedule.Request(GraphPhases.Forward, scheduler);
        graph.Complete();
    }
}
