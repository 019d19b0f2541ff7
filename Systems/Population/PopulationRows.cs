using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Systems.Population;

/// <summary>
/// The rows of one node of the population the current agent belongs to, re-selected only when the population changes
/// (agents of one population usually come in long runs), so the gather and scatter loops cost one copy per agent.
/// </summary>
internal ref struct PopulationRows
{
    private AgentPopulation? _population;
    private InstanceRows<float> _rows;
    private Entity _node;

    /// <summary>Points at the node <paramref name="node"/> picks from the agent's population (kept while the population stays the same).</summary>
    public void Select(PopulationRegistry registry, Entity agent, in Brain brain, Func<AgentPopulation, Entity> node)
    {
        if (_population is not null && _population.Graph.Id == brain.GraphId)
            return;
        _population = registry.For(agent, brain);
        _node = node(_population);
        _rows = _node == Entity.Null ? default : _population.Graph.Rows(_node);
    }

    /// <summary>The selected population (after <see cref="Select"/>).</summary>
    public readonly AgentPopulation Population => _population!;

    /// <summary>Whether the selected population has the node.</summary>
    public readonly bool HasNode => _node != Entity.Null;

    /// <summary>
    /// Copies an agent's <paramref name="component"/> values into its instance's row, refusing a length other than the
    /// node's width and a non-finite value (naming the agent and the component; nothing of this agent is written then).
    /// </summary>
    public readonly void Write(Entity agent, int instance, ReadOnlySpan<float> values, string component)
    {
        if (values.Length != _rows.Width)
            throw new AgentComponentException(agent, component,
                $"has {values.Length} values, but population {_population!.Graph.Id} takes {_rows.Width} (node {_node})");
        for (int j = 0; j < values.Length; j++)
        {
            if (!float.IsFinite(values[j]))
                throw new AgentComponentException(agent, component, $"value {j} is {values[j]}; it must be finite");
        }
        _rows.Write(instance, values);
    }

    /// <summary>The agent's row of the selected node (copied into <paramref name="scratch"/> when the population interleaves instances).</summary>
    public readonly ReadOnlySpan<float> Read(int instance, Span<float> scratch) => _rows.Read(instance, scratch);

    /// <summary>Elements of the selected node's row.</summary>
    public readonly int Width => _rows.Width;
}
