namespace EcsNeural.Ecs;

/// <summary>
/// A query description's list of matching archetypes. Archetypes are only ever appended to a world,
/// so the list is brought up to date by matching just the archetypes created since the last use.
/// </summary>
internal sealed class CachedQuery(QueryDescription description)
{
    private readonly QueryDescription description = description;
    private Archetype[] matches = new Archetype[4];
    private int matchCount;
    private int archetypesSeen;

    public ReadOnlySpan<Archetype> Archetypes => matches.AsSpan(0, matchCount);

    public void Refresh(List<Archetype> worldArchetypes)
    {
        for (; archetypesSeen < worldArchetypes.Count; archetypesSeen++)
        {
            Archetype archetype = worldArchetypes[archetypesSeen];
            if (!description.Matches(archetype.Mask)) continue;
            if (matchCount == matches.Length) Array.Resize(ref matches, matchCount * 2);
            matches[matchCount++] = archetype;
        }
    }
}
