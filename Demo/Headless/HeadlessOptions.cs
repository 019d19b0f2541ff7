using EcsNeural.Demo.Training;

namespace EcsNeural.Demo.Headless;

/// <summary>Settings of one headless run.</summary>
public sealed record HeadlessOptions
{
    public int Agents { get; init; } = 512;
    public long Ticks { get; init; } = 6000;
    /// <summary>Write a PNG frame every this many ticks (0 = only the last frame).</summary>
    public int FramesEvery { get; init; } = 1000;
    public string OutputDirectory { get; init; } = "out";
    public int Workers { get; init; } = Environment.ProcessorCount;
    public ulong Seed { get; init; } = 1;
    public TrainingSignal Signal { get; init; } = TrainingSignal.Imitation;
    /// <summary>Also run the teacher alone for the same ticks, to report its food rate.</summary>
    public bool MeasureTeacher { get; init; } = true;
    /// <summary>A checkpoint to load into the driving network before the first tick (null: start untrained).</summary>
    public string? LoadPath { get; init; }
    /// <summary>Watch instead of learn: inference only, the policy takes its most likely action.</summary>
    public bool Watch { get; init; }
    /// <summary>PPO minibatch steps per tick (0: the whole update in the tick a rollout fills).</summary>
    public int UpdateStepsPerTick { get; init; }
    public bool ShowProgress { get; init; } = true;
    public int FrameWidth { get; init; } = 1280;
    public int FrameHeight { get; init; } = 800;
}
