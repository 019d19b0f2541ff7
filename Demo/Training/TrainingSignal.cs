namespace EcsNeural.Demo.Training;

/// <summary>What drives the agents and what their network learns from.</summary>
public enum TrainingSignal
{
    /// <summary>
    /// Each agent has its own network (a population, one instance per agent) trained every tick on the mean squared error
    /// to the hand-written steering teacher's action on the same observation.
    /// </summary>
    Imitation,

    /// <summary>
    /// All agents share one policy that learns from their rewards alone with PPO (no teacher): food eaten, shaped by the
    /// change of a <see cref="ForagingPotential"/>.
    /// </summary>
    Reward,
}
