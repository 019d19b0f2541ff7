namespace EcsNeural.Components.Agents;

/// <summary>
/// Marks that an agent's episode ended with the action it took last tick. Add it on the tick its last
/// <see cref="Reward"/> is given, while its <see cref="Observation"/> still shows the episode's final state; the policy
/// records the ending, does not learn from an action on that final state, removes the marker, and the agent's next tick
/// starts a new episode (reset the agent after the module's update, or on the next tick).
/// </summary>
/// <param name="Truncated">
/// False (<see cref="Terminal"/>): the episode has no future (death, goal reached), so the last step's return is its reward.
/// True (<see cref="TimeLimit"/>): the episode was cut short (a time limit); the return bootstraps from the value of the
/// final observation.
/// </param>
public readonly record struct EndEpisode(bool Truncated)
{
    /// <summary>The episode ended for good: no value beyond the last reward.</summary>
    public static EndEpisode Terminal => new(false);

    /// <summary>The episode was cut (a time limit): the final state's value stands in for the rewards that would have followed.</summary>
    public static EndEpisode TimeLimit => new(true);
}
