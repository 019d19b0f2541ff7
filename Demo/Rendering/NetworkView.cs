using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Plugin.Building;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Reinforcement;

namespace EcsNeural.Demo.Rendering;

/// <summary>
/// What the painter draws of the network driving the agents, read straight from the module's graphs: each layer's
/// post-activation values (this tick's forward pass) for every agent's row, and the weights between layers. A population
/// has a row and weights per agent (its instance); a shared policy has a row per agent (its slot) and one set of weights.
/// </summary>
public sealed class NetworkView
{
    private readonly ComputeGraph<float> _graph;
    private readonly Entity[] _layers, _weights;
    private readonly bool _perAgent;

    private NetworkView(string title, ComputeGraph<float> graph, Entity[] layers, Entity[] weights, bool perAgent)
    {
        Title = title;
        _graph = graph;
        _layers = layers;
        _weights = weights;
        _perAgent = perAgent;
        LayerSizes = [.. layers.Select(l => graph.ShapeOf(l).Cols)];
    }

    /// <summary>The per-agent networks of an imitation population: input, each layer's units.</summary>
    public static NetworkView Of(MlpNetwork<float> network)
        => new("own network", network.Graph, [network.Input, .. network.Units], [.. network.Layers.Select(l => l.Weights)], perAgent: true);

    /// <summary>The policy network all agents share: the normalised observation, hidden units, the action means.</summary>
    public static NetworkView Of(PpoPolicy policy)
        => new("shared policy", policy.ActingGraph, [.. policy.Acting.PolicyLayers], [.. policy.Acting.PolicyWeights], perAgent: false);

    /// <summary>"own network" or "shared policy", for titles.</summary>
    public string Title { get; }

    /// <summary>Widths of the drawn layers, inputs first.</summary>
    public IReadOnlyList<int> LayerSizes { get; }

    /// <summary>Rows of <see cref="Activations"/> (agents, or policy slots).</summary>
    public int Rows => _perAgent ? _graph.InstanceCount : _graph.ShapeOf(_layers[0]).Rows;

    /// <summary>The row of <paramref name="agent"/> (its instance or its slot), or −1 when it is not bound.</summary>
    public int RowOf(World world, Entity agent)
        => _perAgent ? world.TryGet(agent, out Brain brain) ? brain.Instance : -1
            : world.TryGet(agent, out PolicyBrain slot) ? slot.Slot : -1;

    /// <summary>Layer <paramref name="layer"/>'s values for every row, row-major (<see cref="Rows"/> × width).</summary>
    public ReadOnlySpan<float> Activations(int layer) => _graph.AllValues(_layers[layer]);

    /// <summary>The weights from layer <paramref name="layer"/> to the next that row <paramref name="row"/> uses, [in × out].</summary>
    public ReadOnlySpan<float> Weights(int row, int layer) => _graph.Values(_weights[layer], _perAgent ? row : 0);
}
