namespace EcsNeural.Ecs;

/// <summary>
/// The chunks of a query, for <c>foreach</c>. While the enumerator is alive (from <c>foreach</c>
/// entry until it is disposed) the world refuses structural changes.
/// </summary>
public readonly ref struct ChunkEnumerable
{
    private readonly World world;
    private readonly CachedQuery query;

    internal ChunkEnumerable(World world, CachedQuery query)
    {
        this.world = world;
        this.query = query;
    }

    /// <summary>Starts the iteration; <c>foreach</c> disposes the enumerator, which ends it.</summary>
    public ChunkEnumerator GetEnumerator() => new(world, query);
}

/// <summary>Walks the matching archetypes in creation order, each in chunks of <see cref="Chunk.Capacity"/> rows.</summary>
public ref struct ChunkEnumerator
{
    private readonly World world;
    private readonly ReadOnlySpan<Archetype> archetypes;
    private int archetypeIndex;
    private int nextStart;
    private bool disposed;

    internal ChunkEnumerator(World world, CachedQuery query)
    {
        this.world = world;
        archetypes = query.Archetypes;
        archetypeIndex = -1;
        world.BeginIteration();
    }

    /// <summary>The chunk at the current position.</summary>
    public Chunk Current { get; private set; }

    /// <summary>Advances to the next non-empty chunk.</summary>
    public bool MoveNext()
    {
        while (true)
        {
            if (archetypeIndex >= 0 && nextStart < archetypes[archetypeIndex].Count)
            {
                Archetype archetype = archetypes[archetypeIndex];
                int count = Math.Min(Chunk.Capacity, archetype.Count - nextStart);
                Current = new Chunk(archetype, nextStart, count);
                nextStart += count;
                return true;
            }
            if (++archetypeIndex >= archetypes.Length) return false;
            nextStart = 0;
        }
    }

    /// <summary>Ends the iteration, allowing structural changes again.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        world.EndIteration();
    }
}
