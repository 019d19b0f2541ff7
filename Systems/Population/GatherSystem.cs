using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EcsNeural.Components.Agents;
using EcsNeural.Ecs;

namespace EcsNeural.Systems.Population;

/// <summary>
/// Start of a population tick, after <see cref="CompileSystem{TState}"/> has waited for last tick's jobs: first applies the
/// structural changes the world shows (agents spawned with <see cref="Brain.Unbound"/> get instances, destroyed agents
/// lose theirs, see <see cref="AgentPopulation"/>), then copies every bound agent's <see cref="Observation"/>,
/// <see cref="Target"/> and <see cref="Reward"/> into row <see cref="Brain.Instance"/> of its population's input nodes.
/// </summary>
/// <remarks>
/// An observation or target whose length differs from the input's width is an error naming the agent and both sizes
/// (nothing is truncated or padded); the inputs keep their previous values for agents not yet copied. Allocates nothing.
/// </remarks>
/// <typeparam name="TState">The per-frame state of the host's system group; not read.</typeparam>
[UpdateAfter(typeof(CompileSystem<>))]
[UpdateBefore(typeof(ForwardSystem<>))]
public sealed class GatherSystem<TState>(PopulationRegistry populations) : ISystem<TState>
{
    private static readonly QueryDescription Brains = new QueryDescription().WithAll<Brain>();
    private static readonly QueryDescription Observed = new QueryDescription().WithAll<Brain, Observation>();
    private static readonly QueryDescription Targeted = new QueryDescription().WithAll<Brain, Target>();
    private static readonly QueryDescription Rewarded = new QueryDescription().WithAll<Brain, Reward>();

    /// <inheritdoc/>
    public void Update(in TState state)
    {
        if (populations.All.Count == 0)
            return;
        Reconcile();
        World world = populations.Runtime.World;
        foreach (Chunk chunk in world.Query(Observed))
            Copy(chunk, static p => p.ObservationInput, "observation", static (ref Observation o) => o.Values.AsReadOnlySpan());
        foreach (Chunk chunk in world.Query(Targeted))
            Copy(chunk, static p => p.TargetInput, "target", static (ref Target t) => t.Values.AsReadOnlySpan());
        foreach (Chunk chunk in world.Query(Rewarded))   // a reward is one float: its row is the component itself
            Copy(chunk, static p => p.RewardInput, "reward", static (ref Reward r) => MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<Reward, float>(ref r), 1));
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

    /// <summary>The values an agent's component contributes as one row of an input node.</summary>
    private delegate ReadOnlySpan<float> RowOf<TComponent>(ref TComponent component);

    /// <summary>Copies each bound agent's <typeparamref name="TComponent"/> of the chunk into its population's <paramref name="input"/> row.</summary>
    private void Copy<TComponent>(Chunk chunk, Func<AgentPopulation, Entity> input, string what, RowOf<TComponent> row) where TComponent : unmanaged
    {
        ReadOnlySpan<Entity> agents = chunk.Entities;
        Span<Brain> brains = chunk.GetSpan<Brain>();
        Span<TComponent> components = chunk.GetSpan<TComponent>();
        PopulationRows rows = default;
        for (int i = 0; i < brains.Length; i++)
        {
            if (!brains[i].IsBound)
                continue;
            rows.Select(populations, agents[i], brains[i], input);
            rows.Write(agents[i], brains[i].Instance, row(ref components[i]), what);
        }
    }
}
