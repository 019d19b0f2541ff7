namespace EcsNeural.Ecs;

/// <summary>
/// A handle to an entity in a <see cref="World"/>: a slot id plus the version the slot had when the
/// entity was created. Destroying an entity bumps its slot's version, so an old handle is detected as
/// stale instead of silently addressing whichever entity reuses the slot.
/// </summary>
/// <param name="Id">Slot index, &gt;= 0 for real entities.</param>
/// <param name="Version">Slot version at creation; live entities always have a version &gt;= 1, so <c>default(Entity)</c> is never alive.</param>
public readonly record struct Entity(int Id, int Version)
{
    /// <summary>The "no entity" handle (id -1). Never alive in any world.</summary>
    public static Entity Null { get; } = new(-1, 0);

    /// <summary>Short form used in exception messages, e.g. <c>Entity(12, v3)</c>.</summary>
    public override string ToString() => $"Entity({Id}, v{Version})";
}
