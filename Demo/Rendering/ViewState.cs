using EcsNeural.Demo.Training;

namespace EcsNeural.Demo.Rendering;

/// <summary>What the painter needs besides the session: selection, speed settings and measured rates for the HUD.</summary>
public sealed class ViewState
{
    /// <summary>Slot of the agent whose network and rays are drawn.</summary>
    public int SelectedAgent { get; set; }
    public bool Paused { get; set; }
    /// <summary>Ticks simulated per drawn frame; <see cref="AsFastAsPossible"/> overrides it.</summary>
    public int TicksPerFrame { get; set; } = 1;
    /// <summary>Run as many ticks as fit in a frame's time budget, drawing every <see cref="DrawEvery"/>-th tick at most.</summary>
    public bool AsFastAsPossible { get; set; }
    public int DrawEvery { get; set; } = 1;
    public double TicksPerSecond { get; set; }
    public double FramesPerSecond { get; set; }
    /// <summary>A short message shown in the HUD for a few seconds (e.g. "brains saved to ...").</summary>
    public string? Notice { get; set; }
    public string HelpLine { get; set; } = "";

    /// <summary>The speed setting as shown in the HUD.</summary>
    public string SpeedLabel => Paused ? "paused" : AsFastAsPossible ? $"max speed (draw every {DrawEvery})" : $"{TicksPerFrame} tick/frame";

    public static string SignalLabel(TrainingSignal signal) => signal == TrainingSignal.Imitation ? "imitating the teacher (MSE)" : "learning from reward (PPO)";
}
