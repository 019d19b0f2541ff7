using EcsNeural.Ecs;

namespace EcsNeural.Demo.Arena.Systems;

/// <summary>Fills every agent's <see cref="Sensors"/> and its row (by brain slot) of the observation matrix.</summary>
public sealed class SenseSystem(ArenaSimulation arena) : ArenaSystem(arena)
{
    public override void Update(in long tick)
    {
        var body = new Body(Arena);
        Arena.World.InlineQuery<Body, Forager, Position, Motion, Sensors>(ArenaSimulation.Agents, ref body);
    }

    private readonly struct Body(ArenaSimulation arena) : IForEach<Forager, Position, Motion, Sensors>
    {
        private readonly ArenaConfig _config = arena.Config;
        private readonly WallLayout _walls = arena.Walls;
        private readonly PointLookup _food = arena.FoodLookup;
        private readonly float[] _observations = arena.ObservationMatrix;

        public void Update(Entity entity, ref Forager forager, ref Position position, ref Motion motion, ref Sensors sensors)
        {
            int width = _config.ObservationSize;
            RaySensing.Sense(_config, _walls, _food.Grid, _food.Points, position, motion, ref sensors,
                _observations.AsSpan(forager.BrainSlot * width, width));
        }
    }
}
