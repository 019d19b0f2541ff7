using EcsNeural.Systems.Kernels;

namespace EcsNeural.Plugin;

/// <summary>How <see cref="NeuralPlugin.Install"/> sets the module up.</summary>
public sealed record NeuralPluginOptions
{
    /// <summary>Training (default) or inference only.</summary>
    public PluginMode Mode { get; init; } = PluginMode.Training;

    /// <summary>Name of the system group the module adds to the host's group (shown in timings).</summary>
    public string GroupName { get; init; } = "EcsNeural";

    /// <summary>
    /// The numerics of every network and policy the module creates: <see cref="NumericsMode.Fast"/> (default) or
    /// <see cref="NumericsMode.Portable"/>, the same bits on every CPU (lockstep multiplayer, replays).
    /// </summary>
    public NumericsMode Numerics { get; init; } = NumericsMode.Fast;
}
