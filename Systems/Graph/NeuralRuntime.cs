using System.Numerics;
using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Kernels;

namespace EcsNeural.Systems.Graph;

/// <summary>
/// The per-world owner of computational graphs: node components refer to their graph by id, the graph objects hold the
/// managed parts (tensor arena, compiled program). The compile, forward, backward and optimizer systems walk
/// <see cref="Graphs"/> in creation order.
/// </summary>
public sealed class NeuralRuntime
{
    private readonly List<ComputeGraph> _graphs = [];
    private int _nextId;

    /// <summary>A runtime for the graphs of <paramref name="world"/>.</summary>
    /// <param name="world">The world holding the node entities.</param>
    /// <param name="numerics">The numerics of the graphs this runtime creates (see <see cref="NumericsMode"/>).</param>
    public NeuralRuntime(World world, NumericsMode numerics = NumericsMode.Fast)
    {
        ArgumentNullException.ThrowIfNull(world);
        World = world;
        Numerics = numerics;
    }

    /// <summary>
    /// The <see cref="ComputeGraph.Numerics"/> a graph created from now on starts with: <see cref="NumericsMode.Portable"/>
    /// for the same bits on every CPU (lockstep multiplayer, replays, a checkpoint resumed elsewhere).
    /// </summary>
    public NumericsMode Numerics { get; set; }

    /// <summary>The world holding the node entities.</summary>
    public World World { get; }

    /// <summary>Live graphs in creation order.</summary>
    public IReadOnlyList<ComputeGraph> Graphs => _graphs;

    /// <summary>Creates an empty graph with <paramref name="instances"/> instances and the seed of all its random draws.</summary>
    public ComputeGraph<T> CreateGraph<T>(int instances = 1, ulong seed = 0) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var graph = new ComputeGraph<T>(this, _nextId++, instances, seed) { Numerics = Numerics };
        _graphs.Add(graph);
        return graph;
    }

    /// <summary>Removes a graph and destroys its node entities.</summary>
    public void DestroyGraph(ComputeGraph graph)
    {
        graph.Complete();
        if (!_graphs.Remove(graph))
            throw new ArgumentException($"Graph {graph.Id} does not belong to this runtime.", nameof(graph));
        foreach (Entity e in graph.Nodes())
            World.Destroy(e);
    }

    /// <summary>Waits for every graph's pending jobs, then rethrows the first failure (every graph is waited for first).</summary>
    public void CompleteAll()
    {
        Exception? failure = null;
        for (int g = 0; g < _graphs.Count; g++)
        {
            try
            {
                _graphs[g].Complete();
            }
            catch (Exception ex)
            {
                failure ??= ex;
            }
        }
        if (failure is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }
}
