namespace EcsNeural.Ecs;

/// <summary>
/// The archetypes matching a query, for the row loops of <see cref="World"/>'s <c>Query</c> and <c>InlineQuery</c>:
/// from construction until <see cref="Dispose"/> (the end of a <c>using</c>) the world refuses structural changes.
/// </summary>
internal readonly ref struct ArchetypeIteration
{
    private readonly World _world;

    public ArchetypeIteration(World world, in QueryDescription query)
    {
        Archetypes = world.GetCachedQuery(in query).Archetypes;
        _world = world;
        _world.BeginIteration();
    }

    /// <summary>The matching archetypes, in creation order.</summary>
    public ReadOnlySpan<Archetype> Archetypes { get; }

    /// <summary>Ends the iteration, allowing structural changes again.</summary>
    public void Dispose() => _world.EndIteration();
}
