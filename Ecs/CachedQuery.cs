namespace EcsNeural.Ecs;

/// <summary>
/// A query description's list of matching archetypes. Archetypes are only ever appended to a world,
/// so the list is brought up to date by matching just the archetypes created since the last use.
/// </summary>
internal sealed class CachedQuery(QueryDescription _description)
{
    private readonly QueryDescription _description = _description;
    private Archetype[] _matches = new Archetype[4];
    private int _matchCount;
    private int _archetypesSeen;

    public ReadOnlySpan<Archetype> Archetypes => _matches.AsSpan(0, _matchCount);

    public void Refresh(List<Archetype> worldArchetypes)
    {
        for (; _archetypesSeen < worldArchetypes.Count; _archetypesSeen++)
        {
            Archetype archetype = worldArchetypes[_archetypesSeen];
            if (!_description.Matches(archetype.Mask)) continue;
            if (_matchCount == _matches.Length) Array.Resize(ref _matches, _matchCount * 2);
            _matches[_matchCount++] = archetype;
        }
    }
}
