using EcsNeural.Ecs;

namespace EcsNeural.Demo.Arena.Systems;

/// <summary>Turns, accelerates and moves every agent by its <see cref="Steering"/> (written by the controller before this runs).</summary>
[UpdateAfter(typeof(SenseSystem))]
public sealed class MoveSystem(ArenaSimulation arena) : ArenaSystem(arena)
{
    public override void Update(in long tick)
    {
        var body = new Body(Arena, tick);
        Arena.World.InlineQuery<Body, Forager, Steering, Motion, Position>(ArenaSimulation.Agents, ref body);
    }

    private readonly struct Body(ArenaSimulation arena, long tick) : IForEach<Forager, Steering, Motion, Position>
    {
        private readonly ArenaConfig _config = arena.Config;
        private readonly WallLayout _walls = arena.Walls;

        public void Update(Entity entity, ref Forager forager, ref Steering steering, ref Motion motion, ref Position position) =>
            Locomotion.Move(_config, _walls, forager.BrainSlot, tick, steering, ref motion, ref position);
    }
}
