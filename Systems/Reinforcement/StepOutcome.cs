namespace EcsNeural.Systems.Reinforcement;

/// <summary>What the rollout knows about one agent's step (one tick of one slot).</summary>
[Flags]
public enum StepOutcome : byte
{
    /// <summary>No step: the slot was empty, or its agent's episode had just ended (it does not act on a final observation).</summary>
    None = 0,
    /// <summary>The agent acted: observation, action, log-probability and value are recorded.</summary>
    Acted = 1,
    /// <summary>The reward for the action arrived (the next tick). An acted step without it (the agent left) is not learned from.</summary>
    Rewarded = 2,
    /// <summary>The action ended the episode with no future (death, goal): its return is its reward.</summary>
    Terminal = 4,
    /// <summary>The episode was cut (time limit): the return bootstraps from the value of the final observation.</summary>
    Truncated = 8,
}
