using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Plugin.Checkpoints;

/// <summary>A checkpoint file parsed and verified (length, checksum, version), before anything is applied to a graph.</summary>
internal sealed record CheckpointContents(
    int ElementSize,
    int Instances,
    NodeRecord[] Nodes,
    int Loss,
    OptimizerOptions Optimizer,
    int StateTensors,
    long[] OptimizerSteps,
    byte[] File,
    int PayloadOffset);
