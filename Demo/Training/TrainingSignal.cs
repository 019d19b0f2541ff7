namespace EcsNeural.Demo.Training;

/// <summary>What the population learns from each tick.</summary>
public enum TrainingSignal
{
    /// <summary>Mean squared error to the hand-written steering teacher's action on the same observation.</summary>
    Imitation,

    /// <summary>REINFORCE with a per-agent running baseline on a shaped food reward, with Gaussian exploration.</summary>
    Reward,
}
