namespace EcsNeural.Ecs;

/// <summary>
/// The chunks of a query, for <c>foreach</c>. While the enumerator is alive (from <c>foreach</c>
/// entry until it is disposed) the world refuses structural changes.
/// </summary>
public readonly ref struct ChunkEnumerable
{
    private readonly World _world;
    private readonly CachedQuery _query;

    internal ChunkEnumerable(World world, CachedQuery query)
    {
        _world = world;
        _query = query;
    }

    /// <summary>Starts the iteration; <c>foreach</c> disposes the enumerator, which ends it.</summary>
    public ChunkEnumerator GetEnumerator() => new(_world, _query);
}

/// <summary>Walks the matching archetypes in creation order, each in chunks of <see cref="Chunk.Capacity"/> rows.</summary>
public ref struct ChunkEnumerator
{
    private readonly World _world;
    private readonly ReadOnlySpan<Archetype> _archetypes;
    private int _archetypeIndex;
    private int _nextStart;
    private bool _disposed;

    internal ChunkEnumerator(World world, CachedQuery query)
    {
        _world = world;
        _archetypes = query.Archetypes;
        _archetypeIndex = -1;
        _world.BeginIteration();
    }

    /// <summary>The chunk at the current position.</summary>
    public Chunk Current { get; private set; }

    /// <summary>Advances to the next non-empty chunk.</summary>
    public bool MoveNext()
    {
        while (true)
        {
            if (_archetypeIndex >= 0 && _nextStart < _archetypes[_archetypeIndex].Count)
            {
                Archetype archetype = _archetypes[_archetypeIndex];
                int count = Math.Min(Chunk.Capacity, archetype.Count - _nextStart);
                Current = new Chunk(archetype, _nextStart, count);
                _nextStart += count;
                return true;
            }
            if (++_archetypeIndex >= _archetypes.Length) return false;
            _nextStart = 0;
        }
    }

    /// <summary>Ends the iteration, allowing structural changes again.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _world.EndIteration();
    }
}
