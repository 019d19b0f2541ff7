using EcsNeural.Ecs;
using EcsNeural.Systems.Population;

namespace EcsNeural.Systems.Reinforcement;

/// <summary>
/// After the forward pass has completed: for each policy, closes a full rollout and updates the policy (or advances an
/// update spread over ticks), then samples each agent's action into its <c>AgentAction</c> and records the step.
/// </summary>
/// <typeparam name="TState">The per-frame state of the host's system group; not read.</typeparam>
[UpdateAfter(typeof(ScatterSystem<>))]
public sealed class PolicyActSystem<TState>(PolicyRegistry policies) : ISystem<TState>
{
    /// <inheritdoc/>
    public void Update(in TState state)
    {
        for (int p = 0; p < policies.All.Count; p++)
        {
            PpoPolicy policy = policies.All[p];
            policy.ActingGraph.Complete();
            policy.Act();
        }
    }
}
