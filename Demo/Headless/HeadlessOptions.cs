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
    public bool ShowProgress { get; init; } = true;
    public int FrameWidth { get; init; } = 1280;
    public int FrameHeight { get; init; } = 800;
}
