namespace EcsNeural.Demo.Training;

/// <summary>What the population learns from each tick.</summary>
public enum TrainingSignal
{
    /// <summary>Mean squared error to the hand-written steering teacher's action on the same observation.</summary>
    Imitation,

    /// <summary>
    /// REINFORCE with Gaussian exploration on the food eaten, shaped by the change of a <see cref="ForagingPotential"/>
    /// (see <see cref="ReinforceLearner"/>); learns to forage from scratch.
    /// </summary>
    Reward,
}
