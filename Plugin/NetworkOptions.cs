using EcsNeural.Plugin.Building;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Plugin;

/// <summary>How <see cref="NeuralModule.CreateNetwork"/> instantiates an <see cref="Mlp"/>.</summary>
public sealed record NetworkOptions
{
    /// <summary>Instances of the network (1 for a single network, N for a population with one brain per agent).</summary>
    public int Instances { get; init; } = 1;

    /// <summary>Seed of the parameter initialisation.</summary>
    public ulong Seed { get; init; }

    /// <summary>Samples per instance per step.</summary>
    public int Batch { get; init; } = 1;

    /// <summary>The training loss (<see cref="OutputLoss.None"/> for inference only).</summary>
    public OutputLoss Loss { get; init; } = OutputLoss.None;

    /// <summary>The optimizer (the engine's default SGD when null).</summary>
    public OptimizerOptions? Optimizer { get; init; }
}
