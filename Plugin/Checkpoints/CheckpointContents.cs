using System.Numerics;
using EcsNeural.Systems.Kernels;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Plugin.Checkpoints;

/// <summary>
/// A checkpoint read, verified and validated against its target graph, staged for applying: nothing here can fail to
/// apply. Indexed by the graph's node position; a node holding no values has null entries.
/// </summary>
internal sealed class CheckpointContents<T>(OptimizerOptions optimizer, int stateTensors, long[] optimizerSteps, T[]?[] values, T[][]?[] states,
    NumericsMode? numerics)
{
    /// <summary>The numerics the graph was saved with; null for a version 2 file, which has none.</summary>
    public NumericsMode? Numerics { get; } = numerics;
    public OptimizerOptions Optimizer { get; } = optimizer;
    /// <summary>State tensors per trainable node in the file (0 when it was saved from an inference-only graph).</summary>
    public int StateTensors { get; } = stateTensors;
    public long[] OptimizerSteps { get; } = optimizerSteps;
    /// <summary>All instances of a node's values, back to back.</summary>
    public T[]?[] Values { get; } = values;
    /// <summary>Per node, each state tensor for all instances back to back; null when the file holds none or the target does not train.</summary>
    public T[][]?[] States { get; } = states;
}
