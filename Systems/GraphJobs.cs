using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Systems;

/// <summary>The passes the systems requested for a graph in this tick, run together per instance block.</summary>
[Flags]
internal enum GraphPhases
{
    None = 0,
    Forward = 1,
    Backward = 2,
    Update = 4,
}

/// <summary>
/// One instance block of a graph going through the requested passes in order (forward → backward → update), so the
/// block's parameters and activations are still in this core's cache when the next pass needs them.
/// </summary>
internal readonly struct BlockJob(ComputeGraph graph, int block, GraphPhases phases) : IJob
{
    public void Execute() => graph.RunBlock(block, phases);
}
