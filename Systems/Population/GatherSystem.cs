using EcsNeural.Components.Agents;
using EcsNeural.Ecs;

namespace EcsNeural.Systems.Population;

/// <summary>
/// Start of a population tick, after <see cref="CompileSystem{TState}"/> has waited for last tick's jobs: first applies the
/// structural changes the world shows (agents spawned with <see cref="Brain.Unbound"/> get instances, destroyed agents
/// lose theirs, see <see cref="AgentPopulation"/>), then copies every bound agent's <see cref="Observation"/> and — when
/// its population trains — its <see cref="Target"/> into row <see cref="Brain.Instance"/> of the population's inputs.
/// </summary>
/// <remarks>
/// Refuses, with an <see cref="AgentComponentException"/> naming the agent and the component, a bound agent without an
/// Observation or an AgentAction, without a Target while its population trains, with a Reward (populations learn from
/// targets; a policy learns from rewards), and an observation or target of the wrong length or with a non-finite value
/// (nothing is truncated or padded); the inputs keep their previous values for agents not yet copied. Allocates nothing.
/// </remarks>
/// <typeparam name="TState">The per-frame state of the host's system group; not read.</typeparam>
[UpdateAfter(typeof(CompileSystem<>))]
[UpdateBefore(typeof(ForwardSystem<>))]
public sealed class GatherSystem<TState>(PopulationRegistry populations) : ISystem<TState>
{
    private static readonly QueryDescription Brains = new QueryDescription().WithAll<Brain>();
    private static readonly QueryDescription Observed = new QueryDescription().WithAll<Brain, Observation>();
    private static readonly QueryDescription WithoutObservation = new QueryDescription().WithAll<Brain>().WithNone<Observation>();
    private static readonly QueryDescription WithoutAction = new QueryDescription().WithAll<Brain>().WithNone<AgentAction>();
    private static readonly QueryDescription Rewarded = new QueryDescription().WithAll<Brain, Reward>();

    /// <inheritdoc/>
    public void Update(in TState state)
    {
        if (populations.All.Count == 0)
            return;
        Reconcile();
        World world = populations.Runtime.World;
        AgentChecks.Refuse(world, WithoutObservation, nameof(Observation), "is missing: an agent bound to a population needs an Observation of the network's input width");
        AgentChecks.Refuse(world, WithoutAction, nameof(AgentAction), "is missing: an agent bound to a population needs an AgentAction to receive the network's output");
        AgentChecks.Refuse(world, Rewarded, nameof(Reward),
            "is set, but the agent's network is a population, which learns from Targets; bind it to a policy to learn from reward, or remove the Reward");
        foreach (Chunk chunk in world.Query(Observed))
        {
            ReadOnlySpan<Entity> agents = chunk.Entities;
            Span<Brain> brains = chunk.GetSpan<Brain>();
            Span<Observation> observations = chunk.GetSpan<Observation>();
            Span<Target> targets = chunk.Has<Target>() ? chunk.GetSpan<Target>() : default;
            PopulationRows observationRows = default, targetRows = default;
            for (int i = 0; i < brains.Length; i++)
            {
                if (!brains[i].IsBound)
                    continue;
                observationRows.Select(populations, agents[i], brains[i], static p => p.ObservationInput);
                targetRows.Select(populations, agents[i], brains[i], static p => p.TargetInput);
                if (targetRows.HasNode && targetRows.Population.Graph.Trains)
                {
                    if (targets.IsEmpty)
                        throw new AgentComponentException(agents[i], nameof(Target),
                            $"is missing: population {targetRows.Population.Graph.Id} trains toward each agent's Target");
                    targetRows.Write(agents[i], brains[i].Instance, targets[i].Values.AsReadOnlySpan(), nameof(Target));
                }
                observationRows.Write(agents[i], brains[i].Instance, observations[i].Values.AsReadOnlySpan(), nameof(Observation));
            }
        }
    }

    private void Reconcile()
    {
        for (int p = 0; p < populations.All.Count; p++)
        {
            populations.All[p].Graph.Complete();
            populations.All[p].BeginReconcile();
        }
        foreach (Chunk chunk in populations.Runtime.World.Query(Brains))
        {
            ReadOnlySpan<Entity> agents = chunk.Entities;
            Span<Brain> brains = chunk.GetSpan<Brain>();
            for (int i = 0; i < brains.Length; i++)
                populations.For(agents[i], brains[i]).Note(agents[i], brains[i]);
        }
        for (int p = 0; p < populations.All.Count; p++)
            populations.All[p].EndReconcile();
    }
}
