using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Systems.Population;

/// <summary>
/// The populations of one <see cref="NeuralRuntime"/>, found by graph id (what a <see cref="Brain"/> stores). The
/// gather and scatter systems walk them.
/// </summary>
public sealed class PopulationRegistry
{
    private readonly List<AgentPopulation> _populations = [];
    private AgentPopulation?[] _byGraphId = [];

    /// <summary>A registry for the graphs of <paramref name="runtime"/>.</summary>
    public PopulationRegistry(NeuralRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        Runtime = runtime;
    }

    /// <summary>The runtime owning the populations' graphs.</summary>
    public NeuralRuntime Runtime { get; }

    /// <summary>Populations in creation order.</summary>
    public IReadOnlyList<AgentPopulation> All => _populations;

    /// <summary>
    /// Makes <paramref name="graph"/> a population: agents' observations go to <paramref name="observation"/> (an
    /// Input node), <paramref name="action"/>'s values go to their actions, and optionally targets go to the given Input
    /// node (populations learn from targets; policies learn from rewards). The graph's existing instances wait for agents (<see cref="AgentPopulation.Bind"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A node is not of this graph, not an Input, or wider than an agent component;
    /// the graph already is a population or belongs to another runtime.</exception>
    public AgentPopulation Create(ComputeGraph<float> graph, Entity observation, Entity action, Entity? target = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (graph.Runtime != Runtime)
            throw new ArgumentException($"Graph {graph.Id} belongs to another runtime.", nameof(graph));
        if (TryGet(graph.Id, out _))
            throw new ArgumentException($"Graph {graph.Id} already is a population.", nameof(graph));
        var population = new AgentPopulation(graph, observation, action, target ?? Entity.Null);
        if (_byGraphId.Length <= graph.Id)
            Array.Resize(ref _byGraphId, Math.Max(graph.Id + 1, _byGraphId.Length * 2));
        _byGraphId[graph.Id] = population;
        _populations.Add(population);
        return population;
    }

    /// <summary>Retires every population when their owner (the neural module) is uninstalled: later binds throw <see cref="ObjectDisposedException"/>.</summary>
    public void RetireAll()
    {
        foreach (AgentPopulation population in _populations)
            population.Retire();
    }

    /// <summary>The population of graph <paramref name="graphId"/>, if there is one.</summary>
    public bool TryGet(int graphId, out AgentPopulation population)
    {
        population = (uint)graphId < (uint)_byGraphId.Length ? _byGraphId[graphId]! : null!;
        return population is not null;
    }

    /// <summary>The population an agent's brain names; a clear error when there is none.</summary>
    internal AgentPopulation For(Entity agent, in Brain brain)
        => TryGet(brain.GraphId, out AgentPopulation population)
            ? population
            : throw new InvalidOperationException($"Agent {agent} has a Brain for graph {brain.GraphId}, which is not a population of this registry.");
}
