using System.Runtime.InteropServices;
using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Systems.Population;

namespace EcsNeural.Systems.Reinforcement;

/// <summary>
/// Which agent holds which slot (row) of a policy: an agent binds to the lowest free slot; the slots of agents that were
/// destroyed or lost their <see cref="PolicyBrain"/> are freed and agents spawned with <see cref="PolicyBrain.Unbound"/>
/// are bound, in entity order, at the next <see cref="Reconcile"/>; when every slot is taken the slots double.
/// </summary>
internal sealed class PolicySlots
{
    private static readonly QueryDescription Bound = new QueryDescription().WithAll<PolicyBrain>();
    private readonly World _world;
    private readonly int _policyId;
    private readonly List<Entity> _pending = [];
    private readonly Action<int> _grow, _reset;
    private Entity[] _agents;
    private int _searchFrom;

    /// <param name="world">The agents' world.</param>
    /// <param name="policyId">What the agents' <see cref="PolicyBrain.PolicyId"/> names.</param>
    /// <param name="capacity">Slots to start with.</param>
    /// <param name="grow">Makes room for the new slot count it is given, before any agent takes one of the new slots.</param>
    /// <param name="reset">A slot changes hands (bound or freed): the owner forgets what it kept about it.</param>
    public PolicySlots(World world, int policyId, int capacity, Action<int> grow, Action<int> reset)
    {
        _world = world;
        _policyId = policyId;
        _grow = grow;
        _reset = reset;
        _agents = new Entity[capacity];
        _agents.AsSpan().Fill(Entity.Null);
    }

    /// <summary>Slots (rows).</summary>
    public int Capacity => _agents.Length;

    /// <summary>Agents bound now.</summary>
    public int BoundCount { get; private set; }

    /// <summary>The agent in <paramref name="slot"/>, or <see cref="Entity.Null"/> for a free one.</summary>
    public Entity AgentOf(int slot) => _agents[slot];

    /// <summary>Binds a live, unbound agent to the lowest free slot (growing when there is none) and gives it its <see cref="PolicyBrain"/>.</summary>
    public int Bind(Entity agent)
    {
        if (!_world.IsAlive(agent))
            throw new ArgumentException($"Agent {agent} is not alive.", nameof(agent));
        if (_world.TryGet(agent, out PolicyBrain existing) && existing.IsBound)
            throw new ArgumentException($"Agent {agent} is already bound to slot {existing.Slot} of policy {existing.PolicyId}.", nameof(agent));
        if (_world.TryGet(agent, out Brain brain))
            throw new ArgumentException($"Agent {agent} already has a Brain (instance {brain.Instance} of population {brain.GraphId}); an agent follows one network.", nameof(agent));
        int slot = TakeFreeSlot();
        _agents[slot] = agent;
        BoundCount++;
        _reset(slot);
        var binding = new PolicyBrain(_policyId, slot);
        if (_world.Has<PolicyBrain>(agent))
            _world.Set(agent, binding);
        else
            _world.Add(agent, binding);
        return slot;
    }

    /// <summary>Unbinds a live agent bound here: removes its <see cref="PolicyBrain"/> and frees its slot.</summary>
    public void Unbind(Entity agent)
    {
        if (!_world.IsAlive(agent) || !_world.TryGet(agent, out PolicyBrain binding) || binding.PolicyId != _policyId || !binding.IsBound)
            throw new ArgumentException($"Agent {agent} is not bound to policy {_policyId}.", nameof(agent));
        Free(binding.Slot);
        _world.Remove<PolicyBrain>(agent);
    }

    /// <summary>Frees the slots of agents that are gone, then binds the agents waiting with an unbound <see cref="PolicyBrain"/> in entity order.</summary>
    /// <exception cref="AgentComponentException">An agent's <see cref="PolicyBrain"/> names a slot that is not its own.</exception>
    public void Reconcile()
    {
        int seen = 0;
        _pending.Clear();
        foreach (Chunk chunk in _world.Query(Bound))
        {
            ReadOnlySpan<Entity> agents = chunk.Entities;
            Span<PolicyBrain> brains = chunk.GetSpan<PolicyBrain>();
            for (int i = 0; i < brains.Length; i++)
            {
                if (brains[i].PolicyId != _policyId)
                    continue;
                if (!brains[i].IsBound)
                    _pending.Add(agents[i]);
                else if ((uint)brains[i].Slot < (uint)Capacity && _agents[brains[i].Slot] == agents[i])
                    seen++;
                else
                    throw new AgentComponentException(agents[i], nameof(PolicyBrain),
                        $"names slot {brains[i].Slot} of policy {_policyId}, which is not this agent's; bind agents with PpoPolicy.Bind or PolicyBrain.Unbound, never by writing a slot");
            }
        }
        if (seen != BoundCount)
        {
            for (int slot = 0; slot < Capacity; slot++)
            {
                Entity agent = _agents[slot];
                if (agent != Entity.Null && !(_world.IsAlive(agent) && _world.TryGet(agent, out PolicyBrain b) && b.PolicyId == _policyId && b.Slot == slot))
                    Free(slot);
            }
        }
        if (_pending.Count == 0)
            return;
        CollectionsMarshal.AsSpan(_pending).Sort(static (a, b) => a.Id != b.Id ? a.Id.CompareTo(b.Id) : a.Version.CompareTo(b.Version));
        foreach (Entity agent in _pending)
        {
            _world.Remove<PolicyBrain>(agent);
            Bind(agent);
        }
        _pending.Clear();
    }

    private void Free(int slot)
    {
        _agents[slot] = Entity.Null;
        BoundCount--;
        _searchFrom = Math.Min(_searchFrom, slot);
        _reset(slot);
    }

    private int TakeFreeSlot()
    {
        for (int slot = _searchFrom; slot < Capacity; slot++)
        {
            if (_agents[slot] == Entity.Null)
            {
                _searchFrom = slot + 1;
                return slot;
            }
        }
        int taken = Capacity;
        _grow(Capacity * 2);
        Array.Resize(ref _agents, taken * 2);
        _agents.AsSpan(taken).Fill(Entity.Null);
        _searchFrom = taken + 1;
        return taken;
    }
}
