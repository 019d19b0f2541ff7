namespace EcsNeural.Demo.Arena;

/// <summary>
/// Where a set of entities are, by their stable key (agent slot or pellet index), plus a grid over those
/// points: the neighbour lookup the arena's systems share. Refilled from a query when the points move, so
/// lookups and scans go in key order whatever order the query visits entities in.
/// </summary>
public sealed class PointLookup(int count, float arenaSize, float cellSize)
{
    /// <summary>Point of each key; systems fill it with a gather body.</summary>
    public Position[] Points { get; } = new Position[count];

    /// <summary>The grid over <see cref="Points"/>, valid after <see cref="RebuildGrid"/>.</summary>
    public PointGrid Grid { get; } = new(arenaSize, cellSize);

    /// <summary>Re-sorts the keys into grid cells after <see cref="Points"/> changed.</summary>
    public void RebuildGrid() => Grid.Rebuild(Points);
}
