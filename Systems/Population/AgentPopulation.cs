using System.Runtime.InteropServices;
using EcsNeural.Components;
using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Systems.Population;

/// <summary>
/// A population: one graph with N instances, each the network of one agent entity. Agents bind through a
/// <see cref="Brain"/> component; the gather system copies their <see cref="Observation"/> and <see cref="Target"/> into
/// the graph's input nodes, the scatter system copies the output node into their <see cref="AgentAction"/>. Create one with <see cref="PopulationRegistry.Create"/>.
/// </summary>
/// <remarks>
/// Structural changes happen between ticks, never while the graph's jobs run: <see cref="Bind"/> and
/// <see cref="Unbind"/> act at once (they wait for pending jobs), and agents spawned with <see cref="Brain.Unbound"/>
/// or destroyed (directly or through a <c>CommandBuffer</c>) are reconciled by the gather system at the start of the
/// next tick. Removing an agent swap-removes its instance: the last instance's parameters, gradients and optimizer
/// state move into the hole intact and that agent's <see cref="Brain"/> is re-pointed; no other instance is touched.
/// </remarks>
public sealed class AgentPopulation
{
    private readonly List<Entity> _pending = [];
    private Entity[] _agents;
    private int _unboundCount;
    private int _instanceCount;
    private int _searchFrom;
    private int _seen;

    internal AgentPopulation(ComputeGraph<float> graph, Entity observation, Entity action, Entity target)
    {
        Graph = graph;
        ObservationInput = RequireInput(graph, observation, nameof(observation));
        ActionOutput = RequireNode(graph, action, nameof(action));
        TargetInput = target == Entity.Null ? target : RequireInput(graph, target, nameof(target));
        ObservationWidth = Width(graph, ObservationInput);
        ActionWidth = Width(graph, ActionOutput);
        TargetWidth = TargetInput == Entity.Null ? 0 : Width(graph, TargetInput);
        graph.KeepNode(ObservationInput, "the observation input of the graph's agent population");
        graph.KeepNode(ActionOutput, "the action output of the graph's agent population");
        if (TargetInput != Entity.Null)
            graph.KeepNode(TargetInput, "the target input of the graph's agent population");
        _agents = new Entity[Math.Max(1, graph.InstanceCapacity)];
        _agents.AsSpan(0, graph.InstanceCount).Fill(Entity.Null);
        _unboundCount = _instanceCount = graph.InstanceCount;
    }

    /// <summary>The graph whose instances are the agents' networks.</summary>
    public ComputeGraph<float> Graph { get; }
    /// <summary>Input node receiving each agent's <see cref="Observation"/> (one row per instance).</summary>
    public Entity ObservationInput { get; }
    /// <summary>Node whose values the scatter system copies into each agent's <see cref="AgentAction"/>.</summary>
    public Entity ActionOutput { get; }
    /// <summary>Input node receiving each agent's <see cref="Target"/>, or <see cref="Entity.Null"/>.</summary>
    public Entity TargetInput { get; }
    /// <summary>Values per observation.</summary>
    public int ObservationWidth { get; }
    /// <summary>Values per action.</summary>
    public int ActionWidth { get; }
    /// <summary>Values per target (0 without a target input).</summary>
    public int TargetWidth { get; }
    /// <summary>Agents bound to an instance.</summary>
    public int BoundCount => _instanceCount - _unboundCount;

    /// <summary>The agent bound to <paramref name="instance"/>, or <see cref="Entity.Null"/> for an instance nobody uses yet.</summary>
    public Entity AgentOf(int instance)
    {
        if ((uint)instance >= (uint)Graph.InstanceCount)
            throw new ArgumentOutOfRangeException(nameof(instance), instance, $"Population {Graph.Id} has {Graph.InstanceCount} instances.");
        return _agents[instance];
    }

    /// <summary>
    /// Binds <paramref name="agent"/> to an instance and gives it a <see cref="Brain"/>: the lowest instance no agent
    /// uses yet (instances the graph was created with), otherwise a new instance with freshly initialised parameters.
    /// Returns the instance.
    /// </summary>
    /// <exception cref="ArgumentException">The agent is dead or already bound.</exception>
    public int Bind(Entity agent)
    {
        ThrowIfRetired();
        World world = Graph.World;
        if (!world.IsAlive(agent))
            throw new ArgumentException($"Agent {agent} is not alive.", nameof(agent));
        FollowGraph();
        if (world.TryGet(agent, out Brain existing) && existing.IsBound)
            throw new ArgumentException($"Agent {agent} is already bound to instance {existing.Instance} of graph {existing.GraphId}.", nameof(agent));
        int instance = TakeUnboundInstance();
        if (instance < 0)
        {
            instance = Graph.AddInstance();
            _instanceCount++;
            if (_agents.Length < Graph.InstanceCapacity)
                Array.Resize(ref _agents, Graph.InstanceCapacity);
        }
        _agents[instance] = agent;
        var brain = new Brain(Graph.Id, instance);
        if (world.Has<Brain>(agent))
            world.Set(agent, brain);
        else
            world.Add(agent, brain);
        return instance;
    }

    /// <summary>
    /// Unbinds a live agent: removes its <see cref="Brain"/> and its instance (swap-remove, see the remarks). To
    /// remove an agent that is being destroyed, just destroy it: the next gather reconciles.
    /// </summary>
    /// <exception cref="ArgumentException">The agent is not bound to this population.</exception>
    public void Unbind(Entity agent)
    {
        ThrowIfRetired();
        World world = Graph.World;
        if (!world.IsAlive(agent) || !world.TryGet(agent, out Brain brain) || brain.GraphId != Graph.Id || !brain.IsBound)
            throw new ArgumentException($"Agent {agent} is not bound to population {Graph.Id}.", nameof(agent));
        FollowGraph();
        RemoveInstance(brain.Instance);
        world.Remove<Brain>(agent);
    }

    /// <summary>Whether the module that made the population was uninstalled (its graph is gone; binding is refused).</summary>
    public bool IsRetired { get; private set; }

    /// <summary>Marks the population as gone with its module: later binds throw <see cref="ObjectDisposedException"/>.</summary>
    internal void Retire() => IsRetired = true;

    private void ThrowIfRetired()
    {
        if (IsRetired)
            throw new ObjectDisposedException($"population {Graph.Id}", $"Population {Graph.Id} belongs to a neural module that was uninstalled (disposed); bind agents to a population of the installed module.");
    }

    /// <summary>Forgets the brains counted by the last reconcile pass.</summary>
    internal void BeginReconcile()
    {
        FollowGraph();
        _seen = 0;
        _pending.Clear();
    }

    /// <summary>Counts a bound brain seen in the world, or queues an unbound one.</summary>
    internal void Note(Entity agent, in Brain brain)
    {
        if (!brain.IsBound)
            _pending.Add(agent);
        else if ((uint)brain.Instance < (uint)Graph.InstanceCount && _agents[brain.Instance] == agent)
            _seen++;
        else
            throw new InvalidOperationException(
                $"Agent {agent} has a Brain for instance {brain.Instance} of graph {Graph.Id}, but that instance belongs to "
                + $"{((uint)brain.Instance < (uint)Graph.InstanceCount ? _agents[brain.Instance].ToString() : "nobody (it does not exist)")}. "
                + "Bind agents with AgentPopulation.Bind or Brain.Unbound, never by writing a Brain's instance.");
    }

    /// <summary>
    /// Applies the structural changes the world shows: instances of agents that died or lost their brain are removed
    /// (highest instance first), then queued agents are bound in entity order, so the result never depends on
    /// query order.
    /// </summary>
    internal void EndReconcile()
    {
        if (_seen != BoundCount)
        {
            World world = Graph.World;
            for (int i = Graph.InstanceCount - 1; i >= 0; i--)
            {
                Entity agent = _agents[i];
                if (agent != Entity.Null && !(world.IsAlive(agent) && world.TryGet(agent, out Brain brain) && brain.GraphId == Graph.Id && brain.Instance == i))
                    RemoveInstance(i);
            }
        }
        if (_pending.Count == 0)
            return;
        CollectionsMarshal.AsSpan(_pending).Sort(static (a, b) => a.Id != b.Id ? a.Id.CompareTo(b.Id) : a.Version.CompareTo(b.Version));
        foreach (Entity agent in _pending)
            Bind(agent);
        _pending.Clear();
    }

    /// <summary>Swap-removes an instance and re-points the agent that moved into its place.</summary>
    private void RemoveInstance(int instance)
    {
        if (_agents[instance] == Entity.Null)
            _unboundCount--;
        int last = Graph.RemoveInstance(instance);
        _instanceCount--;
        if (last == instance)
            return;
        Entity moved = _agents[last];
        _agents[instance] = moved;
        _agents[last] = Entity.Null;
        if (moved == Entity.Null)
            _searchFrom = Math.Min(_searchFrom, instance);
        else if (Graph.World.IsAlive(moved) && Graph.World.Has<Brain>(moved))
            Graph.World.Set(moved, new Brain(Graph.Id, instance));
    }

    /// <summary>
    /// Adopts instances added to the graph directly (<c>ComputeGraph.AddInstance</c>) as unbound ones; instances removed
    /// directly are an error, because the agents bound to them would silently point at other networks.
    /// </summary>
    private void FollowGraph()
    {
        int count = Graph.InstanceCount;
        if (count == _instanceCount)
            return;
        if (count < _instanceCount)
            throw new InvalidOperationException(
                $"Population {Graph.Id} had {_instanceCount} instances but its graph now has {count}: remove agents with "
                + "AgentPopulation.Unbind or by destroying them, never with ComputeGraph.RemoveInstance.");
        if (_agents.Length < Graph.InstanceCapacity)
            Array.Resize(ref _agents, Graph.InstanceCapacity);
        _agents.AsSpan(_instanceCount, count - _instanceCount).Fill(Entity.Null);
        _unboundCount += count - _instanceCount;
        _searchFrom = Math.Min(_searchFrom, _instanceCount);
        _instanceCount = count;
    }

    private int TakeUnboundInstance()
    {
        if (_unboundCount == 0)
            return -1;
        for (int i = _searchFrom; i < Graph.InstanceCount; i++)
        {
            if (_agents[i] == Entity.Null)
            {
                _unboundCount--;
                _searchFrom = i + 1;
                return i;
            }
        }
        throw new InvalidOperationException($"Population {Graph.Id} lost track of its unbound instances.");
    }

    private static Entity RequireNode(ComputeGraph<float> graph, Entity node, string name)
    {
        if (!graph.World.IsAlive(node) || !graph.World.TryGet(node, out GraphMember member) || member.GraphId != graph.Id)
            throw new ArgumentException($"{node} is not a live node of graph {graph.Id}.", name);
        return node;
    }

    private static Entity RequireInput(ComputeGraph<float> graph, Entity node, string name)
    {
        RequireNode(graph, node, name);
        OpCode op = graph.World.Get<Node>(node).Op;
        if (op != OpCode.Input)
            throw new ArgumentException($"The {name} node {node} must be an Input, it is a {op}.", name);
        return node;
    }

    private static int Width(ComputeGraph<float> graph, Entity node) => graph.ShapeOf(node).Length;
}
