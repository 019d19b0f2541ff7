using EcsNeural.Components.Agents;
using EcsNeural.Ecs;

namespace EcsNeural.Systems.Population;

/// <summary>
/// End of a population tick, after <see cref="CompleteSystem{TState}"/>: copies row <see cref="Brain.Instance"/> of each
/// population's action node into the agent's <see cref="AgentAction"/>. Runs after the whole step rather than right
/// after the forward pass so that forward, backward and update of one instance block stay one chain of jobs; the
/// values are the same (the update changes parameters, not this tick's outputs). Allocates nothing.
/// </summary>
/// <typeparam name="TState">The per-frame state of the host's system group; not read.</typeparam>
[UpdateAfter(typeof(CompleteSystem<>))]
public sealed class ScatterSystem<TState>(PopulationRegistry populations) : ISystem<TState>
{
    private static readonly QueryDescription Acting = new QueryDescription().WithAll<Brain, AgentAction>();
    private float[] _row = [];   // an interleaved population's row on its way out; grown, never shrunk

    /// <inheritdoc/>
    public void Update(in TState state)
    {
        if (populations.All.Count == 0)
            return;
        for (int p = 0; p < populations.All.Count; p++)
            populations.All[p].Graph.Complete();
        foreach (Chunk chunk in populations.Runtime.World.Query(Acting))
        {
            ReadOnlySpan<Entity> agents = chunk.Entities;
            Span<Brain> brains = chunk.GetSpan<Brain>();
            Span<AgentAction> actions = chunk.GetSpan<AgentAction>();
            PopulationRows rows = default;
            for (int i = 0; i < brains.Length; i++)
            {
                if (!brains[i].IsBound)
                    continue;
                rows.Select(populations, agents[i], brains[i], static p => p.ActionOutput);
                if (_row.Length < rows.Width)
                    _row = new float[rows.Width];
                actions[i].Values.Set(rows.Read(brains[i].Instance, _row));
            }
        }
    }
}
