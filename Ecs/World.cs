using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace EcsNeural.Ecs;

/// <summary>
/// An archetype ECS world: entities with unmanaged struct components, grouped by component set into
/// archetypes whose columns are contiguous per component type.
/// </summary>
/// <remarks>
/// Structural changes (create, destroy, add, remove) are refused with an
/// <see cref="InvalidOperationException"/> while any query runs; record them in a
/// <see cref="CommandBuffer"/> instead. Reading and writing component values (<see cref="Get{T}"/>,
/// <see cref="Set{T}"/>) is allowed during queries. Structural changes must come from one thread
/// while no query runs; queries, reads and writes to distinct entities may run on several threads.
/// Every failing call throws before changing anything, so the world stays usable. After <see cref="Dispose"/> every
/// member but <see cref="Dispose"/> itself throws <see cref="ObjectDisposedException"/>.
/// </remarks>
public sealed partial class World : IDisposable
{
    // Create and the three query forms for 1 to 8 components are generated: Ecs.Generators/CreateSource.cs, QuerySource.cs.
    private struct EntitySlot
    {
        public Archetype? Archetype; // null while the slot is free
        public int Row;
        public int Version;
    }

    private readonly List<Archetype> _archetypes = [];
    private readonly Dictionary<ComponentMask, Archetype> _archetypeByMask = new();
    private readonly Dictionary<QueryDescription, CachedQuery> _queries = new();
    private readonly Archetype _emptyArchetype;
    private EntitySlot[] _slots = new EntitySlot[256];
    private int _slotsUsed;
    private int[] _freeIds = new int[64];
    private int _freeCount;
    private int _iterationDepth;
    private int _size;
    private bool _disposed;

    /// <summary>Creates an empty world.</summary>
    public World()
    {
        _emptyArchetype = GetOrCreateArchetype(default);
    }

    /// <summary>Number of alive entities.</summary>
    public int Size
    {
        get
        {
            ThrowIfDisposed();
            return _size;
        }
    }

    /// <summary>Number of archetypes (distinct component sets) created so far, including the empty one.</summary>
    public int ArchetypeCount
    {
        get
        {
            ThrowIfDisposed();
            return _archetypes.Count;
        }
    }

    /// <summary>True while a query (any of the three forms) is running on this world.</summary>
    public bool IsIterating
    {
        get
        {
            ThrowIfDisposed();
            return Volatile.Read(ref _iterationDepth) > 0;
        }
    }

    /// <summary>Creates an entity without components.</summary>
    /// <exception cref="InvalidOperationException">Called during a query.</exception>
    public Entity Create()
    {
        ThrowIfStructuralChangeRefused(StructuralChange.Create, default, -1);
        return CreateIn(_emptyArchetype, out _);
    }

    /// <summary>Destroys an alive entity; its handle (and every copy of it) becomes stale.</summary>
    /// <exception cref="InvalidOperationException">The entity is not alive, or called during a query.</exception>
    public void Destroy(Entity entity)
    {
        ThrowIfStructuralChangeRefused(StructuralChange.Destroy, entity, -1);
        ref EntitySlot slot = ref AliveSlot(entity, Access.Destroy, -1);
        if (slot.Archetype!.HoldsValueBuffers) slot.Archetype.ReleaseValueBuffers(slot.Row);
        RemoveFromArchetype(slot.Archetype, slot.Row);
        slot.Archetype = null;
        slot.Version = slot.Version == int.MaxValue ? 1 : slot.Version + 1;
        if (_freeCount == _freeIds.Length) Array.Resize(ref _freeIds, _freeCount * 2);
        _freeIds[_freeCount++] = entity.Id;
        _size--;
    }

    /// <summary>True when <paramref name="entity"/> was created in this world and not destroyed since.</summary>
    public bool IsAlive(Entity entity)
    {
        if ((uint)entity.Id >= (uint)_slotsUsed)
        {
            ThrowIfDisposed();   // a disposed world has no slots: checked only on this path
            return false;
        }
        ref EntitySlot slot = ref _slots[entity.Id];
        return slot.Archetype != null && slot.Version == entity.Version;
    }

    /// <summary>Number of alive entities matching <paramref name="query"/>.</summary>
    public int CountEntities(in QueryDescription query)
    {
        int total = 0;
        foreach (Archetype archetype in GetCachedQuery(in query).Archetypes) total += archetype.Count;
        return total;
    }

    /// <summary>Iterates the matching entities chunk by chunk: <c>foreach (Chunk chunk in world.Query(q))</c>.</summary>
    public ChunkEnumerable Query(in QueryDescription query) => new(this, GetCachedQuery(in query));

    /// <summary>Releases all storage, the buffer storage of every component included. Every entity handle becomes stale.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        ReleaseAllValueBuffers();
        GC.SuppressFinalize(this);
        _archetypes.Clear();
        _archetypeByMask.Clear();
        _queries.Clear();
        _slots = [];
        _slotsUsed = 0;
        _freeCount = 0;
        _size = 0;
    }

    /// <summary>A world dropped without <see cref="Dispose"/> still returns its components' buffer storage to the pool.</summary>
    ~World() => ReleaseAllValueBuffers();

    private void ReleaseAllValueBuffers()
    {
        foreach (Archetype archetype in _archetypes)
        {
            if (archetype.HoldsValueBuffers) archetype.ReleaseAllValueBuffers();
        }
    }

    internal CachedQuery GetCachedQuery(in QueryDescription query)
    {
        ThrowIfDisposed();
        // Locked because jobs may start queries from several threads at once; archetypes cannot
        // appear meanwhile (that needs a structural change, refused while any query runs).
        lock (_queries)
        {
            if (!_queries.TryGetValue(query, out CachedQuery? cached))
            {
                cached = new CachedQuery(query);
                _queries.Add(query, cached);
            }
            cached.Refresh(_archetypes);
            return cached;
        }
    }

    internal void BeginIteration() => Interlocked.Increment(ref _iterationDepth);

    internal void EndIteration() => Interlocked.Decrement(ref _iterationDepth);

    private Entity CreateIn(Archetype archetype, out int row)
    {
        int id;
        if (_freeCount > 0)
        {
            id = _freeIds[--_freeCount];
        }
        else
        {
            if (_slotsUsed == _slots.Length) Array.Resize(ref _slots, _slotsUsed * 2);
            id = _slotsUsed++;
            _slots[id].Version = 1;
        }
        ref EntitySlot slot = ref _slots[id];
        var entity = new Entity(id, slot.Version);
        row = archetype.AddRow(entity);
        slot.Archetype = archetype;
        slot.Row = row;
        _size++;
        return entity;
    }

    private Archetype ArchetypeForCreate(ReadOnlySpan<int> typeIds)
    {
        ThrowIfStructuralChangeRefused(StructuralChange.Create, default, -1);
        ComponentMask mask = default;
        foreach (int id in typeIds)
        {
            if (mask.Contains(id))
            {
                throw new ArgumentException(
                    $"Cannot create an entity with component {ComponentRegistry.NameOf(id)} listed twice.");
            }
            mask = mask.With(id);
        }
        return GetOrCreateArchetype(mask);
    }

    private Archetype GetOrCreateArchetype(in ComponentMask mask)
    {
        if (!_archetypeByMask.TryGetValue(mask, out Archetype? archetype))
        {
            archetype = new Archetype(mask);
            _archetypeByMask.Add(mask, archetype);
            _archetypes.Add(archetype);
        }
        return archetype;
    }

    /// <summary>Removes a row and repairs the slot of the entity that was swapped into it.</summary>
    private void RemoveFromArchetype(Archetype archetype, int row)
    {
        Entity moved = archetype.RemoveRow(row);
        if (moved.Id >= 0) _slots[moved.Id].Row = row;
    }

    /// <summary>The slot of an alive entity; throws naming the entity and the attempted access otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref EntitySlot AliveSlot(Entity entity, Access access, int typeId)
    {
        if ((uint)entity.Id < (uint)_slotsUsed)
        {
            ref EntitySlot slot = ref _slots[entity.Id];
            if (slot.Archetype != null && slot.Version == entity.Version) return ref slot;
        }
        ThrowNotAlive(entity, access, typeId);
        return ref Unsafe.NullRef<EntitySlot>();
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private void ThrowIfStructuralChangeRefused(StructuralChange change, Entity entity, int typeId)
    {
        ThrowIfDisposed();
        if (Volatile.Read(ref _iterationDepth) > 0) ThrowStructuralChangeDuringQuery(change, entity, typeId);
    }

    [DoesNotReturn]
    private void ThrowNotAlive(Entity entity, Access access, int typeId)
    {
        ThrowIfDisposed();   // a disposed world has no slots, so every access ends here
        string reason;
        if (entity.Id < 0)
        {
            reason = entity == Entity.Null ? "it is Entity.Null" : "it is a placeholder from a CommandBuffer that has not been played back";
        }
        else if (entity.Id >= _slotsUsed)
        {
            reason = $"this world never created an entity with id {entity.Id}";
        }
        else
        {
            ref EntitySlot slot = ref _slots[entity.Id];
            reason = entity.Version < slot.Version
                ? $"it was destroyed and the handle is stale (id {entity.Id} is now at version {slot.Version}, " +
                  (slot.Archetype == null ? "unused)" : "held by another entity)")
                : $"this world never created version {entity.Version} of id {entity.Id} (current version {slot.Version})";
        }
        throw new InvalidOperationException($"Cannot {Describe(access, typeId)} {entity}: the entity is not alive because {reason}.");
    }

    [DoesNotReturn]
    private static void ThrowStructuralChangeDuringQuery(StructuralChange change, Entity entity, int typeId)
    {
        string what = change switch
        {
            StructuralChange.Create => "create an entity",
            StructuralChange.Destroy => $"destroy {entity}",
            StructuralChange.Add => $"add {ComponentRegistry.NameOf(typeId)} to {entity}",
            _ => $"remove {ComponentRegistry.NameOf(typeId)} from {entity}",
        };
        throw new InvalidOperationException(
            $"Cannot {what} while a query is running: structural changes would move entities under the iteration. " +
            "Record it in a CommandBuffer and play the buffer back after the query.");
    }

    private static string Describe(Access access, int typeId) => access switch
    {
        Access.Destroy => "destroy",
        Access.Add => $"add {ComponentRegistry.NameOf(typeId)} to",
        Access.Remove => $"remove {ComponentRegistry.NameOf(typeId)} from",
        Access.Set => $"set {ComponentRegistry.NameOf(typeId)} on",
        Access.Get => $"get {ComponentRegistry.NameOf(typeId)} of",
        _ => $"check for {ComponentRegistry.NameOf(typeId)} on",
    };

    private enum StructuralChange { Create, Destroy, Add, Remove }

    internal enum Access { Destroy, Add, Remove, Set, Get, Has }
}
