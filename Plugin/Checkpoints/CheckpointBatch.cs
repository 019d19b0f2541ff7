namespace EcsNeural.Plugin.Checkpoints;

/// <summary>Whether a checkpoint must match the target graph's batch (see <see cref="Checkpoint.Load{T}"/>).</summary>
public enum CheckpointBatch : byte
{
    /// <summary>Every node's shape as saved, rows included.</summary>
    Same,
    /// <summary>Inputs of the same width and parameters of the same shape; the rows (the batch the graph was built for) may differ.</summary>
    Any,
}
