using EcsNeural.Ecs;

namespace EcsNeural.Demo.Arena.Systems;

/// <summary>
/// Base of the arena's systems: they only need the update phase, which gets the tick being simulated.
/// Each holds the <see cref="ArenaSimulation"/> whose world and lookups it works on.
/// </summary>
public abstract class ArenaSystem(ArenaSimulation arena) : ISystem<long>
{
    protected ArenaSimulation Arena { get; } = arena;

    public abstract void Update(in long tick);
}
