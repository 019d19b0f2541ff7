namespace EcsNeural.Components.Agents;

/// <summary>
/// The reward an agent earned since its last tick, for a policy that learns from reward. Host systems add to
/// <see cref="Value"/> (several systems may contribute: eating, damage, reaching a goal); each tick the module reads it as
/// the reward for the agent's last action and resets it to 0. It must be finite.
/// </summary>
public struct Reward
{
    /// <summary>The reward accumulated since the module last read it.</summary>
    public float Value;

    /// <summary>A reward of <paramref name="value"/>.</summary>
    public Reward(float value) => Value = value;
}
