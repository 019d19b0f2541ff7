using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Systems.Population;

namespace EcsNeural.Plugin.Agents;

/// <summary>
/// Runs after <see cref="ScatterSystem{TState}"/>: for each agent with a <see cref="DecisionPeriod"/>, keeps the freshly
/// scattered action on its decision ticks (and remembers it) and puts the remembered decision back on the other
/// ticks. Counts the ticks; tick 0 is the first update. Refuses a DecisionPeriod on an agent bound to a policy, whose
/// every tick is a step it learns from. Allocates nothing.
/// </summary>
/// <typeparam name="TState">The per-frame state of the host's system group; not read.</typeparam>
[UpdateAfter(typeof(ScatterSystem<>))]
public sealed class DecisionPeriodSystem<TState> : ISystem<TState>
{
    private static readonly QueryDescription Periodic = new QueryDescription().WithAll<Brain, AgentAction, DecisionPeriod>();
    private static readonly QueryDescription PeriodicPolicyAgents = new QueryDescription().WithAll<PolicyBrain, DecisionPeriod>();
    private readonly World _world;

    /// <summary>A system for the agents of <paramref name="world"/>.</summary>
    public DecisionPeriodSystem(World world)
    {
        ArgumentNullException.ThrowIfNull(world);
        _world = world;
    }

    /// <summary>The tick the next update is (the number of updates so far).</summary>
    public long Tick { get; private set; }

    /// <inheritdoc/>
    public void Update(in TState state)
    {
        AgentChecks.Refuse(_world, PeriodicPolicyAgents, nameof(DecisionPeriod),
            "is set on an agent of a policy; policy agents decide every tick (a policy learns from every step it takes)");
        foreach (Chunk chunk in _world.Query(Periodic))
        {
            Span<Brain> brains = chunk.GetSpan<Brain>();
            Span<AgentAction> actions = chunk.GetSpan<AgentAction>();
            Span<DecisionPeriod> periods = chunk.GetSpan<DecisionPeriod>();
            for (int i = 0; i < periods.Length; i++)
            {
                if (!brains[i].IsBound)
                    continue;
                ref DecisionPeriod period = ref periods[i];
                if (period.DecidesOn(Tick))
                    period.Decision.Set(actions[i].Values.AsReadOnlySpan());
                else
                    actions[i].Values.Set(period.Decision.AsReadOnlySpan());
            }
        }
        Tick++;
    }
}
