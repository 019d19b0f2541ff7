using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Systems;

/// <summary>Forward pass of one instance block of a graph.</summary>
internal readonly struct ForwardBlockJob(ComputeGraph graph, int block) : IJob
{
    public void Execute() => graph.ForwardBlock(block);
}

/// <summary>Backward pass of one instance block of a graph.</summary>
internal readonly struct BackwardBlockJob(ComputeGraph graph, int block) : IJob
{
    public void Execute() => graph.BackwardBlock(block);
}

/// <summary>Optimizer update of one instance block of a graph.</summary>
internal readonly struct UpdateBlockJob(ComputeGraph graph, int block) : IJob
{
    public void Execute() => graph.UpdateBlock(block);
}

/// <summary>Schedules one job per instance block, each after the same block's previous job (per-block dependencies).</summary>
internal static class BlockScheduling
{
    public static void ScheduleForward(JobScheduler scheduler, ComputeGraph graph)
    {
        graph.BeginScheduling(scheduler);
        for (int b = 0; b < graph.BlockCount; b++)
        {
            ref JobHandle handle = ref graph.BlockHandle(b);
            handle = scheduler.Schedule(new ForwardBlockJob(graph, b), handle);
        }
    }

    public static void ScheduleBackward(JobScheduler scheduler, ComputeGraph graph)
    {
        graph.BeginScheduling(scheduler);
        for (int b = 0; b < graph.BlockCount; b++)
        {
            ref JobHandle handle = ref graph.BlockHandle(b);
            handle = scheduler.Schedule(new BackwardBlockJob(graph, b), handle);
        }
    }

    public static void ScheduleUpdate(JobScheduler scheduler, ComputeGraph graph)
    {
        graph.BeginScheduling(scheduler);
        for (int b = 0; b < graph.BlockCount; b++)
        {
            ref JobHandle handle = ref graph.BlockHandle(b);
            handle = scheduler.Schedule(new UpdateBlockJob(graph, b), handle);
        }
    }
}
