namespace EcsNeural.Components.Agents;

/// <summary>
/// Binds an agent entity to a slot of a policy that learns from reward: every agent of the policy shares one network,
/// and the agent's observations, actions and rewards are row <see cref="Slot"/> of its tensors and of its rollout. An
/// agent spawned with <see cref="Unbound"/> gets a slot at the next tick.
/// </summary>
/// <param name="PolicyId">Id of the policy (<c>PpoPolicy.Id</c>).</param>
/// <param name="Slot">The agent's row in the policy, or −1 while waiting for one.</param>
public readonly record struct PolicyBrain(int PolicyId, int Slot)
{
    /// <summary>A binding asking policy <paramref name="policyId"/> for a slot at its next tick.</summary>
    public static PolicyBrain Unbound(int policyId) => new(policyId, -1);

    /// <summary>True when the agent has a slot.</summary>
    public bool IsBound => Slot >= 0;
}
