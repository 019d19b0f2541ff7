using EcsNeural.Ecs;
using EcsNeural.Systems.Population;

namespace EcsNeural.Systems.Reinforcement;

/// <summary>
/// Before the forward pass: checks the policy agents' components, then for each policy binds spawned agents, rewards last
/// tick's actions, records episode ends and writes the observations into the acting graph (<see cref="PpoPolicy"/>).
/// </summary>
/// <typeparam name="TState">The per-frame state of the host's system group; not read.</typeparam>
[UpdateAfter(typeof(GatherSystem<>))]
[UpdateBefore(typeof(ForwardSystem<>))]
public sealed class PolicyObserveSystem<TState>(PolicyRegistry policies) : ISystem<TState>
{
    /// <inheritdoc/>
    public void Update(in TState state)
    {
        if (policies.All.Count == 0)
            return;
        policies.CheckAgents();
        for (int p = 0; p < policies.All.Count; p++)
            policies.All[p].Observe();
    }
}
