using EcsNeural.Demo.Training;

namespace EcsNeural.Demo.Windowed;

/// <summary>Settings of the windowed demo.</summary>
public sealed record WindowedOptions
{
    public int Agents { get; init; } = 512;
    public ulong Seed { get; init; } = 1;
    public int Workers { get; init; } = Environment.ProcessorCount;
    public TrainingSignal Signal { get; init; } = TrainingSignal.Imitation;
    public int Width { get; init; } = 1280;
    public int Height { get; init; } = 800;
    /// <summary>Quit after this many seconds (0 = run until closed).</summary>
    public double Seconds { get; init; }
    /// <summary>Save the last frame the window showed to this PNG when quitting.</summary>
    public string? ScreenshotPath { get; init; }
    /// <summary>Where the S key saves the driving network's checkpoint.</summary>
    public string OutputDirectory { get; init; } = "out";
    /// <summary>A checkpoint to load into the driving network at the start (null: start untrained).</summary>
    public string? LoadPath { get; init; }
    /// <summary>Watch instead of learn: inference only, the policy takes its most likely action.</summary>
    public bool Watch { get; init; }
    /// <summary>PPO minibatch steps per tick (0: the whole update in the tick a rollout fills).</summary>
    public int UpdateStepsPerTick { get; init; }
}
